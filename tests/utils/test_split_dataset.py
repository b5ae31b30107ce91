"""split_dataset: Keras 3's split sizes and errors (its torch path runs without TensorFlow), fit-ready parts."""

import keras
import numpy as np
import pytest
import torch
from torch.utils.data import TensorDataset

import fitorch
from fitorch import layers, utils

SIZES = [(0.8, None), (None, 0.25), (3, None), (None, 7), (0.3, 0.5), (2, 5), (0.5, 0.5), (1, None), (0.05, None)]


@pytest.mark.parametrize("left_size, right_size", SIZES)
@pytest.mark.parametrize("total", [10, 33])
def test_sizes_match_keras(left_size, right_size, total):
    data = np.arange(total)
    try:
        left, right = keras.utils.split_dataset(data, left_size=left_size, right_size=right_size)
    except ValueError as error:
        if "Sum of input lengths" not in str(error):  # Keras refuses these sizes: so does fitorch
            with pytest.raises(ValueError, match="split_dataset: "):
                utils.split_dataset(data, left_size=left_size, right_size=right_size)
            return
        # Keras' torch path refuses sizes that do not add up to the whole dataset (random_split); its
        # tf.data path keeps the first `left` and the last `right` samples. fitorch follows the tf.data path.
        expected = tuple(round(s * total) if isinstance(s, float) else s for s in (left_size, right_size))
    else:
        expected = (len(left), len(right))
    ours = utils.split_dataset(data, left_size=left_size, right_size=right_size)
    assert (len(ours[0]), len(ours[1])) == expected


@pytest.mark.parametrize(
    "left_size, right_size",
    [(None, None), (0, None), (1.5, None), (None, 10), (0.6, 0.6), (8, 5), (0.01, None), ("3", None)],
)
def test_refuses_what_keras_refuses(left_size, right_size):
    with pytest.raises((ValueError, TypeError)) as keras_error:
        keras.utils.split_dataset(np.arange(10), left_size=left_size, right_size=right_size)
    with pytest.raises(keras_error.type, match="split_dataset: "):
        utils.split_dataset(np.arange(10), left_size=left_size, right_size=right_size)


def test_without_shuffle_left_is_the_start_and_right_the_end():
    x, y = np.arange(10, dtype="float32")[:, None], np.arange(10)
    left, right = utils.split_dataset((x, y), left_size=0.6, right_size=0.2)
    assert [int(sample[1]) for sample in left] == list(range(6))
    assert [int(sample[1]) for sample in right] == [8, 9]
    assert all(float(sx[0]) == float(sy) for sx, sy in left)  # rows stay paired


def test_shuffle_is_reproducible_and_a_partition():
    data = torch.arange(20)
    left, right = utils.split_dataset(data, left_size=0.75, shuffle=True, seed=3)
    again_left, _ = utils.split_dataset(data, left_size=0.75, shuffle=True, seed=3)
    other_left, _ = utils.split_dataset(data, left_size=0.75, shuffle=True, seed=4)
    values = [int(s[0]) for s in left] + [int(s[0]) for s in right]
    assert sorted(values) == list(range(20)) and values[:15] != list(range(15))
    assert [int(s[0]) for s in again_left] == values[:15]
    assert [int(s[0]) for s in other_left] != values[:15]


def test_takes_a_torch_dataset_and_fit_takes_the_parts():
    torch.manual_seed(0)
    x, y = torch.randn(40, 3), torch.randn(40, 1)
    train, test = utils.split_dataset(TensorDataset(x, y), left_size=30)
    model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(train, epochs=1, batch_size=8, verbose=0)
    assert np.isfinite(model.evaluate(test, verbose=0))


def test_type_errors():
    with pytest.raises(TypeError, match="dataset must be a torch Dataset, an array"):
        utils.split_dataset("abc", left_size=0.5)
    with pytest.raises(ValueError, match=r"same length; received lengths \[3, 4\]"):
        utils.split_dataset((np.zeros(3), np.zeros(4)), left_size=0.5)
