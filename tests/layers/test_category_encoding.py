import json

import numpy as np
import pytest
import torch

from fitorch.layers import Input
from fitorch.layers.preprocessing import CategoryEncoding
from tests.layers.harness import keras, run_layer_test, to_numpy


@pytest.mark.parametrize(
    "kwargs, shape",
    [({"output_mode": "one_hot"}, (6,)), ({"output_mode": "one_hot"}, (6, 1)), ({"output_mode": "one_hot"}, (4, 3)),
     ({"output_mode": "multi_hot"}, (4, 5)), ({"output_mode": "count"}, (4, 5)), ({}, (3, 4)),
     ({"output_mode": "binary"}, (3, 4))],
)  # fmt: skip
def test_matches_keras(kwargs, shape):
    kwargs = {"num_tokens": 12, **kwargs}
    run_layer_test(
        lambda: CategoryEncoding(**kwargs),
        shape,
        lambda: keras().layers.CategoryEncoding(**kwargs),
        input_dtype="int64",
        atol=0,
    )


@pytest.mark.parametrize("output_mode", ["multi_hot", "count", "one_hot"])
def test_rank_1_input_is_one_sample_like_keras(output_mode):
    x = np.array([3, 1, 3, 0, 5])
    ours = CategoryEncoding(6, output_mode)(torch.from_numpy(x))
    theirs = keras().layers.CategoryEncoding(6, output_mode)(x)
    np.testing.assert_array_equal(ours.numpy(), to_numpy(theirs))


def test_count_weights_match_keras():
    x = np.array([[1, 2, 2, 0], [3, 3, 3, 1]])
    weights = np.array([[0.5, 1.0, 2.0, 0.25], [1.0, 1.0, 3.0, 4.0]], dtype="float32")
    ours = CategoryEncoding(4, "count")(torch.from_numpy(x), count_weights=torch.from_numpy(weights))
    theirs = keras().layers.CategoryEncoding(4, "count")(x, count_weights=weights)
    np.testing.assert_allclose(ours.numpy(), to_numpy(theirs), rtol=1e-6)


def test_lists_and_arrays_are_accepted_and_out_of_range_values_encode_to_zero():
    torch.testing.assert_close(CategoryEncoding(3, "one_hot")([0, 2]), torch.tensor([[1.0, 0, 0], [0, 0, 1]]))
    torch.testing.assert_close(CategoryEncoding(3)(np.array([[0, 5, -1]])), torch.tensor([[1.0, 0, 0]]))


def test_config_round_trip_and_symbolic_dtype():
    layer = CategoryEncoding(5, "count", name="ce")
    assert CategoryEncoding.from_config(json.loads(json.dumps(layer.get_config()))).get_config() == layer.get_config()
    assert layer(Input(shape=(3,), dtype="int64")).dtype == torch.float32


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"CategoryEncoding 'c1': num_tokens must be an int >= 1"):
        CategoryEncoding(None, name="c1")
    with pytest.raises(ValueError, match=r"CategoryEncoding 'c2': output_mode must be one of"):
        CategoryEncoding(3, "int", name="c2")
    with pytest.raises(TypeError, match=r"CategoryEncoding 'c3': expected integer inputs"):
        CategoryEncoding(3, name="c3")(torch.tensor([0.5]))
    with pytest.raises(ValueError, match=r"CategoryEncoding 'c4': count_weights is only used with output_mode='count'"):
        CategoryEncoding(3, name="c4")(torch.tensor([[0]]), count_weights=torch.ones(1, 1))
    with pytest.raises(ValueError, match=r"CategoryEncoding 'c5': sparse=True is not supported"):
        CategoryEncoding(3, sparse=True, name="c5")
