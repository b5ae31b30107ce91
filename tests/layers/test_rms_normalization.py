import numpy as np
import pytest
import torch
from torch import nn

from fitorch import layers
from fitorch.layers.normalization import RMSNormalization
from tests.layers.harness import keras, make_input, run_layer_test


@pytest.mark.parametrize(
    ("axis", "shape"),
    [(-1, (3, 5)), (-1, (2, 4, 6)), ([1, 2], (2, 4, 6)), ([-2, -1], (2, 3, 4, 5))],
)
def test_rms_normalization_matches_keras(axis, shape):
    run_layer_test(
        lambda: RMSNormalization(axis=axis),
        shape,
        lambda: keras().layers.RMSNormalization(axis=axis),
    )


def test_epsilon_matches_keras():
    run_layer_test(
        lambda: RMSNormalization(epsilon=0.5), (4, 3), lambda: keras().layers.RMSNormalization(epsilon=0.5),
        check_compile=False,
    )


@pytest.mark.parametrize(("axis", "shape"), [(1, (2, 5, 3)), ([0, 2], (2, 5, 3)), ([1, 3], (2, 3, 4, 5))])
def test_non_trailing_axes_match_the_formula(axis, shape):
    # Keras' own non-trailing path hands the single axis to F.rms_norm as if it were the last one,
    # so these are checked against x * rsqrt(mean(x ** 2) + epsilon) * scale written out.
    x = make_input(shape)
    layer = RMSNormalization(axis=axis, epsilon=1e-3)
    layer.build(shape)
    scale = np.random.default_rng(3).standard_normal(layer.weight.shape).astype("float32")
    layer.set_weights([scale])
    axes = tuple(a % len(shape) for a in (axis if isinstance(axis, list) else [axis]))
    broadcast = tuple(shape[a] if a in axes else 1 for a in range(len(shape)))
    expected = x / np.sqrt(np.mean(x**2, axis=axes, keepdims=True) + 1e-3) * scale.reshape(broadcast)
    np.testing.assert_allclose(layer(torch.from_numpy(x)).detach().numpy(), expected, rtol=1e-5, atol=1e-5)


def test_weight_loads_into_nn_rms_norm_and_starts_at_ones():
    layer = RMSNormalization()
    x = torch.from_numpy(make_input((2, 3, 8)))
    out = layer(x)
    assert torch.equal(layer.weight, torch.ones(8))
    torch_norm = nn.RMSNorm(8, eps=1e-6)
    torch_norm.load_state_dict(layer.state_dict())
    torch.testing.assert_close(torch_norm(x), out)


def test_half_precision_inputs_compute_in_float32_and_keep_their_dtype():
    x = torch.from_numpy(make_input((2, 16))) * 300
    out = RMSNormalization()(x.to(torch.bfloat16))
    assert out.dtype == torch.bfloat16
    torch.testing.assert_close(out.float(), RMSNormalization()(x.to(torch.bfloat16).float()), atol=1e-2, rtol=1e-2)


def test_symbolic_shape_and_config():
    layer = RMSNormalization(axis=(3, 2), epsilon=1e-5)
    assert layer.axis == [2, 3]
    assert layer(layers.Input((None, 4, 6))).shape == (None, None, 4, 6)
    assert layer.weight.shape == (4, 6)
    assert layer.get_config()["axis"] == [2, 3] and layer.get_config()["epsilon"] == 1e-5


def test_rms_normalization_errors():
    with pytest.raises(TypeError, match=r"RMSNormalization 'r': axis must be an int or a non-empty list of ints; "
                       r"received axis='-1'"):
        RMSNormalization(axis="-1", name="r")
    with pytest.raises(ValueError, match=r"RMSNormalization 'r2': epsilon must be a non-negative float; "
                       r"received epsilon=-1"):
        RMSNormalization(epsilon=-1, name="r2")
    with pytest.raises(ValueError, match=r"RMSNormalization 'r3': axis 3 is out of bounds for inputs of rank 3 "
                       r"\(received shape \(None, 4, 5\)\); received axis=3"):
        RMSNormalization(axis=3, name="r3")(layers.Input((4, 5)))
    with pytest.raises(ValueError, match=r"RMSNormalization 'r4': the normalised axes \[1\] must have known sizes"):
        RMSNormalization(axis=1, name="r4")(layers.Input((None, 5)))
    with pytest.raises(ValueError, match=r"RMSNormalization 'r5': axis=\[-1, 2\] repeats an axis"):
        RMSNormalization(axis=[2, -1], name="r5")(torch.zeros(2, 3, 4))
