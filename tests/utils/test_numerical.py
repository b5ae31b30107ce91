"""to_categorical, normalize and set_random_seed against Keras 3 (their NumPy paths need no TensorFlow)."""

import random

import keras
import numpy as np
import pytest
import torch

from fitorch import utils


@pytest.mark.parametrize(
    "labels, num_classes",
    [([0, 2, 1, 2], None), ([[1], [0], [3]], None), ([[0, 1], [2, 2]], 4), (np.array([3, 0]), 5), ([0], 1)],
)
def test_to_categorical_matches_keras(labels, num_classes):
    expected = keras.utils.to_categorical(np.array(labels), num_classes=num_classes)
    result = utils.to_categorical(labels, num_classes=num_classes)
    assert result.shape == expected.shape and result.dtype == expected.dtype
    np.testing.assert_array_equal(result, expected)


def test_to_categorical_of_a_tensor_is_a_float32_tensor():
    result = utils.to_categorical(torch.tensor([[2], [0]]), num_classes=3)
    assert isinstance(result, torch.Tensor) and result.dtype == torch.float32
    np.testing.assert_array_equal(result.numpy(), keras.utils.to_categorical(np.array([[2], [0]]), 3))


def test_to_categorical_rejects_out_of_range_and_fractional_labels():
    with pytest.raises(ValueError, match=r"class indices must be in \[0, num_classes=2\).*from 0 to 2"):
        utils.to_categorical([0, 2], num_classes=2)
    with pytest.raises(ValueError, match="from -1 to 1"):
        utils.to_categorical([-1, 1])
    with pytest.raises(ValueError, match="integer class indices"):
        utils.to_categorical([0.5, 1.0])


@pytest.mark.parametrize("axis, order", [(-1, 2), (1, 2), (1, 1), (-1, 3)])
def test_normalize_matches_keras(axis, order):
    x = np.random.default_rng(0).standard_normal((4, 5, 3))
    x[1, 2] = 0.0  # a zero vector stays zero
    expected = keras.utils.normalize(x, axis=axis, order=order)
    np.testing.assert_allclose(utils.normalize(x, axis=axis, order=order), expected, rtol=1e-12)
    as_tensor = utils.normalize(torch.from_numpy(x), axis=axis, order=order)
    np.testing.assert_allclose(as_tensor.numpy(), expected, rtol=1e-12)


def test_normalize_along_axis_0_matches_numpy():
    # Keras' NumPy path turns axis=0 into -1 (`axis or -1`) and fails; NumPy is the oracle here.
    x = np.random.default_rng(1).standard_normal((4, 3))
    expected = x / np.linalg.norm(x, 2, axis=0, keepdims=True)
    np.testing.assert_allclose(utils.normalize(x, axis=0), expected, rtol=1e-12)


def test_set_random_seed_repeats_python_numpy_and_torch():
    def draw():
        return random.random(), np.random.rand(), float(torch.rand(()))

    utils.set_random_seed(123)
    first = draw()
    utils.set_random_seed(123)
    assert draw() == first
    utils.set_random_seed(124)
    assert draw() != first


def test_set_random_seed_draws_what_keras_set_random_seed_draws_for_python_and_numpy():
    keras.utils.set_random_seed(7)
    expected = random.random(), np.random.rand(), float(torch.rand(()))
    utils.set_random_seed(7)
    assert (random.random(), np.random.rand(), float(torch.rand(()))) == expected


@pytest.mark.parametrize("seed", ["1", 1.5, -1, None, True])
def test_set_random_seed_rejects_non_ints(seed):
    with pytest.raises(ValueError, match="set_random_seed: expected a non-negative int seed"):
        utils.set_random_seed(seed)
