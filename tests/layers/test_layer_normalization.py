import numpy as np
import pytest
import torch
from torch import nn

from fitorch.layers.normalization import LayerNormalization
from tests.layers.harness import keras, make_input, run_layer_test


def _scaled_input(shape):
    return 3.0 + 2.0 * make_input(shape)


@pytest.mark.parametrize(
    "kwargs, shape",
    [
        ({}, (4, 6)),
        ({}, (2, 5, 6)),
        ({"axis": [-2, -1]}, (2, 5, 6)),
        ({"axis": [1, 2, 3]}, (2, 3, 4, 5)),
        ({"center": False}, (2, 5, 6)),
        ({"scale": False, "epsilon": 1e-5}, (2, 5, 6)),
        ({"axis": [1, 3]}, (2, 3, 4, 5)),  # not contiguous: Keras' explicit formula
    ],
)
def test_layer_normalization_matches_keras(kwargs, shape):
    run_layer_test(
        lambda: LayerNormalization(**kwargs),
        shape,
        lambda: keras().layers.LayerNormalization(**kwargs),
        input_data=_scaled_input(shape),
    )


def test_rms_scaling_matches_keras_and_warns():
    with pytest.warns(UserWarning, match="rms_scaling=True is deprecated"):
        run_layer_test(
            lambda: LayerNormalization(rms_scaling=True),
            (2, 5, 6),
            lambda: keras().layers.LayerNormalization(rms_scaling=True),
            input_data=_scaled_input((2, 5, 6)),
        )


def test_a_leading_axis_normalizes_that_axis():
    # Keras' torch backend hands axis=1 of a rank-3 input to F.layer_norm, which normalizes the
    # *last* axis; fitorch normalizes axis 1, as Keras' other backends and its docs do.
    x = _scaled_input((2, 3, 4))
    y = LayerNormalization(axis=1, center=False, scale=False)(torch.from_numpy(x)).detach().numpy()
    expected = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(y, expected, atol=1e-5)


def test_state_dict_loads_into_nn_layer_norm():
    layer = LayerNormalization(epsilon=1e-5)
    x = torch.randn(2, 3, 8)
    out = layer(x)
    with torch.no_grad():
        layer.weight.uniform_()
        layer.bias.uniform_()
    out = layer(x)
    torch_norm = nn.LayerNorm(8, eps=1e-5)
    torch_norm.load_state_dict(layer.state_dict())
    torch.testing.assert_close(torch_norm(x), out)


def test_half_precision_inputs_keep_their_dtype():
    layer = LayerNormalization()
    x = torch.randn(2, 8)
    out = layer(x.to(torch.bfloat16))
    assert out.dtype == torch.bfloat16
    torch.testing.assert_close(out.float(), layer(x), atol=2e-2, rtol=2e-2)


def test_bad_axis_type():
    with pytest.raises(TypeError, match=r"LayerNormalization 'ln': axis must be an int or a non-empty list of ints; "
                       r"received axis=1.5"):
        LayerNormalization(axis=1.5, name="ln")


def test_bad_epsilon():
    with pytest.raises(ValueError, match=r"epsilon must be a positive float; received epsilon=0"):
        LayerNormalization(epsilon=0)


def test_axis_out_of_bounds_is_explained():
    with pytest.raises(ValueError, match=r"LayerNormalization 'ln2': axis 3 is out of bounds for inputs of rank 3 "
                       r"\(received shape \(2, 5, 6\)\)"):
        LayerNormalization(axis=3, name="ln2")(torch.zeros(2, 5, 6))
