import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.merging import Subtract
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize("input_shapes", [[(2, 3, 4), (2, 3, 4)], [(2, 3, 4), (2, 1, 4)], [(2, 3, 4), (2, 4)]])
def test_subtract_matches_keras(input_shapes):
    run_layer_test(Subtract, input_shapes, lambda: keras().layers.Subtract())


def test_order_matters():
    a, b = torch.full((1, 2), 3.0), torch.ones(1, 2)
    torch.testing.assert_close(Subtract()([a, b]), torch.full((1, 2), 2.0))
    torch.testing.assert_close(Subtract()([b, a]), torch.full((1, 2), -2.0))


def test_exactly_two_inputs_symbolic_and_eager():
    with pytest.raises(ValueError, match=r"Subtract 'sub': expected exactly 2 inputs; received 3 inputs"):
        Subtract(name="sub")([Input(shape=(3,)), Input(shape=(3,)), Input(shape=(3,))])
    with pytest.raises(ValueError, match=r"Subtract 'sub2': expected exactly 2 inputs; received 3 inputs"):
        Subtract(name="sub2")([torch.zeros(1, 3)] * 3)


def test_incompatible_shapes_name_the_layer():
    with pytest.raises(ValueError, match=r"Subtract 'sub3': inputs have incompatible shapes \[\(None, 3\), \(None, 4\)\]"):
        Subtract(name="sub3")([Input(shape=(3,)), Input(shape=(4,))])


def test_single_tensor_is_refused():
    with pytest.raises(ValueError, match=r"called on a list of at least 2 tensors, e.g. Subtract\(\)\(\[x1, x2\]\)"):
        Subtract()(torch.zeros(2, 3))


def test_output_mask_is_the_or_of_input_masks_like_keras():
    import numpy as np

    a, b = torch.randn(2, 3, 4), torch.randn(2, 3, 4)
    mask_a = torch.tensor([[True, False, False], [True, True, False]])
    mask_b = torch.tensor([[False, False, True], [True, False, False]])
    a._keras_mask, b._keras_mask = mask_a, mask_b
    out = Subtract()([a, b])
    torch.testing.assert_close(out, a - b)
    torch.testing.assert_close(out._keras_mask, mask_a | mask_b)
    ka, kb = keras().ops.convert_to_tensor(a.numpy()), keras().ops.convert_to_tensor(b.numpy())
    ka._keras_mask = keras().ops.convert_to_tensor(mask_a.numpy())
    kb._keras_mask = keras().ops.convert_to_tensor(mask_b.numpy())
    expected = keras().layers.Subtract()([ka, kb])
    np.testing.assert_array_equal(out._keras_mask.numpy(), keras().ops.convert_to_numpy(expected._keras_mask))
    del a._keras_mask
    assert getattr(Subtract()([a, b]), "_keras_mask", None) is None
