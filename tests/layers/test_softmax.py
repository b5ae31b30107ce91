import numpy as np
import pytest
import torch

from fitorch.layers.activations import Softmax
from tests.layers.harness import keras, make_input, run_layer_test


@pytest.mark.parametrize("axis, shape", [(-1, (3, 5)), (1, (2, 4, 3)), ([1, 2], (2, 3, 4)), ([2], (2, 3, 4))])
def test_softmax_matches_keras(axis, shape):
    run_layer_test(lambda: Softmax(axis), shape, lambda: keras().layers.Softmax(axis))


@pytest.mark.parametrize(
    "axis, shape, mask_shape",
    [(-1, (2, 3, 5), (2, 3, 5)), (-1, (2, 3, 5), (2, 1, 5)), (-1, (2, 3, 5), (5,)), ([1, 2], (2, 3, 4), (2, 3, 4))],
)
@pytest.mark.parametrize("float_mask", [False, True])
def test_masked_softmax_matches_keras(axis, shape, mask_shape, float_mask):
    x = make_input(shape)
    mask = np.random.default_rng(3).random(mask_shape) > 0.4
    mask_value = mask.astype("float32") if float_mask else mask
    expected = keras().ops.convert_to_numpy(keras().layers.Softmax(axis)(x, mask=mask_value))
    actual = Softmax(axis)(torch.from_numpy(x), mask=torch.from_numpy(mask_value))
    np.testing.assert_allclose(actual.numpy(), expected, rtol=1e-6, atol=1e-7)


def test_fully_masked_row_is_all_zero_and_float16_uses_a_representable_value():
    x = torch.randn(2, 4)
    mask = torch.tensor([[True, True, False, False], [False, False, False, False]])
    y = Softmax()(x, mask=mask)
    torch.testing.assert_close(y[1], torch.zeros(4))
    torch.testing.assert_close(y[0, :2].sum(), torch.tensor(1.0))
    y16 = Softmax()(x.half(), mask=mask)
    assert not y16.isnan().any()


def test_mask_that_does_not_broadcast_names_layer_and_shapes():
    with pytest.raises(
        ValueError,
        match=r"Softmax 'sm': the mask must broadcast to the inputs .* received inputs of shape \(2, 3\) and a mask "
        r"of shape \(2, 4\)",
    ):
        Softmax(name="sm")(torch.zeros(2, 3), mask=torch.ones(2, 4, dtype=torch.bool))
    with pytest.raises(ValueError, match="no more axes than the input"):
        Softmax()(torch.zeros(2, 3), mask=torch.ones(1, 2, 3, dtype=torch.bool))


@pytest.mark.parametrize("axis", ["1", [], [1, "2"], 1.0])
def test_bad_axis(axis):
    with pytest.raises(ValueError, match=r"Softmax 's': axis must be an int or a non-empty list of ints"):
        Softmax(axis, name="s")
