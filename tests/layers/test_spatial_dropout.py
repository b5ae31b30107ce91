import numpy as np
import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.regularization import SpatialDropout1D, SpatialDropout2D, SpatialDropout3D
from tests.layers.harness import keras, run_layer_test

CASES = [
    (SpatialDropout1D, "SpatialDropout1D", {}, (4, 6, 5), (None, 1, None)),
    (SpatialDropout2D, "SpatialDropout2D", {}, (4, 3, 5, 6), (None, 1, 1, None)),
    (SpatialDropout2D, "SpatialDropout2D", {"data_format": "channels_first"}, (4, 6, 3, 5), (None, None, 1, 1)),
    (SpatialDropout3D, "SpatialDropout3D", {}, (3, 2, 3, 4, 5), (None, 1, 1, 1, None)),
    (SpatialDropout3D, "SpatialDropout3D", {"data_format": "channels_first"}, (3, 5, 2, 3, 4), (None, None, 1, 1, 1)),
]


def _shared_along(y: torch.Tensor, noise_shape: tuple) -> bool:
    """True when ``y`` is constant along every axis where ``noise_shape`` is 1."""
    index = tuple(slice(0, 1) if n == 1 else slice(None) for n in noise_shape)
    return torch.equal(y, y[index].expand_as(y))


@pytest.mark.parametrize("cls, keras_name, kwargs, shape, noise_shape", CASES)
def test_inference_matches_keras(cls, keras_name, kwargs, shape, noise_shape):
    run_layer_test(
        lambda: cls(0.3, seed=2, **kwargs),
        shape,
        lambda: getattr(keras().layers, keras_name)(0.3, seed=2, **kwargs),
        deterministic_in_training=False,
    )


@pytest.mark.parametrize("cls, keras_name, kwargs, shape, noise_shape", CASES)
def test_training_drops_whole_channels_scaled_by_keras_rule(cls, keras_name, kwargs, shape, noise_shape):
    rate = 0.4
    big = (64, *shape[1:])
    x = torch.ones(big)
    y = cls(rate, **kwargs)(x, training=True)
    assert _shared_along(y, noise_shape)
    scale = torch.tensor(1 / (1 - rate))
    assert set(y.unique().tolist()) <= {0.0, scale.item()}
    # Keras' output has the same structure and values.
    k = torch.as_tensor(
        keras().ops.convert_to_numpy(getattr(keras().layers, keras_name)(rate, **kwargs)(x.numpy(), training=True))
    )
    assert _shared_along(k, noise_shape)
    torch.testing.assert_close(k.unique(), torch.stack([torch.tensor(0.0), scale]))


def test_fraction_of_dropped_channels_is_rate():
    rate = 0.3
    y = SpatialDropout2D(rate)(torch.ones(200, 2, 2, 100), training=True)
    dropped = (y[:, 0, 0, :] == 0).float().mean().item()
    assert abs(dropped - rate) < 0.015


def test_values_scaled_exactly():
    x = torch.rand(8, 5, 7) + 0.5
    y = SpatialDropout1D(0.25)(x, training=True)
    kept = y != 0
    torch.testing.assert_close(y[kept], x[kept] / 0.75, rtol=1e-6, atol=0)


def test_seed_repeats_and_inference_is_identity():
    x = torch.randn(4, 3, 3, 8)
    a = SpatialDropout2D(0.5, seed=5)(x, training=True)
    b = SpatialDropout2D(0.5, seed=5)(x, training=True)
    assert torch.equal(a, b)
    layer = SpatialDropout2D(0.5).eval()
    assert layer(x) is x


def test_channels_last_input_is_not_copied_to_contiguous():
    x = torch.randn(2, 4, 5, 6).permute(0, 2, 3, 1)  # a channels_last view
    y = SpatialDropout2D(0.5, data_format="channels_last")(x, training=True)
    assert y.shape == x.shape


def test_config_matches_keras_keys():
    ours = SpatialDropout2D(0.2, data_format="channels_first", seed=1).get_config()
    theirs = keras().layers.SpatialDropout2D(0.2, data_format="channels_first", seed=1).get_config()
    assert {k: ours[k] for k in ("rate", "seed", "data_format")} == {
        k: theirs[k] for k in ("rate", "seed", "data_format")
    }
    assert "data_format" not in SpatialDropout1D(0.2).get_config()


@pytest.mark.parametrize("rate", [1.0, -0.1, "0.5"])
def test_rate_must_be_in_0_1(rate):
    with pytest.raises(ValueError, match=r"SpatialDropout1D 'sd': rate must be a float in \[0, 1\)"):
        SpatialDropout1D(rate, name="sd")


def test_wrong_rank_names_layer():
    with pytest.raises(ValueError, match=r"Input 0 of layer 'sd2' \(SpatialDropout2D\) is incompatible: expected ndim=4"):
        SpatialDropout2D(0.5, name="sd2")(Input(shape=(3, 4)))
    layer = SpatialDropout3D(0.5, name="sd3")
    layer(torch.zeros(1, 2, 2, 2, 2))
    with pytest.raises(ValueError, match=r"'sd3' \(SpatialDropout3D\) is incompatible: expected ndim=5"):
        layer(torch.zeros(1, 2, 2, 2), training=True)


def test_bad_data_format_and_seed():
    with pytest.raises(ValueError, match="data_format must be one of"):
        SpatialDropout2D(0.5, data_format="nhwc")
    with pytest.raises(TypeError, match=r"SpatialDropout2D 's': seed must be an int or None"):
        SpatialDropout2D(0.5, seed=1.5, name="s")
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        SpatialDropout1D(0.5, data_format="channels_first")


def test_numpy_keras_inference_equals_input():
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype("float32")
    layer = SpatialDropout1D(0.5).eval()
    np.testing.assert_array_equal(layer(torch.from_numpy(x)).numpy(), x)
