import numpy as np
import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.merging import Multiply
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize(
    "input_shapes", [[(2, 3, 4), (2, 3, 4)], [(2, 3, 4), (2, 1, 4), (2, 3, 1)], [(2, 3, 4), (2, 4)], [(4, 5)] * 3]
)
def test_multiply_matches_keras(input_shapes):
    run_layer_test(Multiply, input_shapes, lambda: keras().layers.Multiply())


def _masked(values: np.ndarray, mask: np.ndarray):
    t = torch.from_numpy(values)
    t._keras_mask = torch.from_numpy(mask)
    k = keras().ops.convert_to_tensor(values)
    k._keras_mask = keras().ops.convert_to_tensor(mask)
    return t, k


@pytest.mark.parametrize("mask_both", [True, False])
def test_masked_entries_count_as_one_as_in_keras(mask_both):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2, 2, 4, 3)).astype("float32")
    ta, ka = _masked(a, np.array([[True, False, False, True], [False, True, True, False]]))
    if mask_both:
        tb, kb = _masked(b, np.array([[True, True, False, False], [False, False, True, True]]))
    else:
        tb, kb = torch.from_numpy(b), keras().ops.convert_to_tensor(b)
    expected = keras().ops.convert_to_numpy(keras().layers.Multiply()([ka, kb]))
    np.testing.assert_allclose(Multiply()([ta, tb]).numpy(), expected, rtol=1e-6)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Multiply 'mul': inputs have incompatible shapes"):
        Multiply(name="mul")([Input(shape=(3, 2)), Input(shape=(4, 2))])
