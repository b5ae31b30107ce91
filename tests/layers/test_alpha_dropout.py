import numpy as np
import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.regularization import AlphaDropout
from tests.layers.harness import keras, run_layer_test

ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946


def _affine(rate: float) -> tuple[float, float]:
    a = ((1 - rate) * (1 + rate * ALPHA_P**2)) ** -0.5
    return a, -a * ALPHA_P * rate


@pytest.mark.parametrize("kwargs", [{"rate": 0.2}, {"rate": 0.1, "noise_shape": (None, 1, None), "seed": 3}])
def test_inference_matches_keras(kwargs):
    run_layer_test(
        lambda: AlphaDropout(**kwargs),
        (4, 3, 5),
        lambda: keras().layers.AlphaDropout(**kwargs),
        deterministic_in_training=False,
    )


@pytest.mark.parametrize("rate", [0.1, 0.3])
def test_training_values_follow_keras_affine_rule(rate):
    a, b = _affine(rate)
    x = torch.randn(200, 100)
    dropped_value = torch.tensor(a * ALPHA_P + b)
    for y in (
        AlphaDropout(rate)(x, training=True),
        torch.as_tensor(keras().ops.convert_to_numpy(keras().layers.AlphaDropout(rate)(x.numpy(), training=True))),
    ):
        kept = (y - (a * x + b)).abs() < 1e-5
        dropped = (y - dropped_value).abs() < 1e-5
        assert bool((kept | dropped).all())
        assert abs(dropped.float().mean().item() - rate) < 0.01


def test_keeps_mean_and_variance_of_standard_inputs():
    x = torch.randn(1000, 1000)
    y = AlphaDropout(0.3)(x, training=True)
    assert abs(y.mean().item()) < 0.005
    assert abs(y.var().item() - 1.0) < 0.005


def test_noise_shape_shares_the_mask():
    y = AlphaDropout(0.5, noise_shape=(None, 1, None), seed=0)(torch.zeros(6, 7, 8), training=True)
    assert torch.equal(y, y[:, :1, :].expand_as(y))


def test_inference_is_identity():
    x = torch.randn(3, 4)
    assert AlphaDropout(0.5).eval()(x) is x


@pytest.mark.parametrize("rate", [1.0, -0.1, None])
def test_rate_must_be_in_0_1(rate):
    with pytest.raises(ValueError, match=r"AlphaDropout 'ad': rate must be a float in \[0, 1\)"):
        AlphaDropout(rate, name="ad")


def test_bad_noise_shape_names_layer_and_shapes():
    with pytest.raises(ValueError, match=r"AlphaDropout 'ad2': noise_shape must hold positive ints or None"):
        AlphaDropout(0.1, noise_shape=(None, 0), name="ad2")
    with pytest.raises(
        ValueError, match=r"AlphaDropout 'ad3': noise_shape=\(None, 2\) does not broadcast to the input shape \(None, 3\)"
    ):
        AlphaDropout(0.1, noise_shape=(None, 2), name="ad3")(Input(shape=(3,)))


def test_config_round_trip():
    config = AlphaDropout(0.2, noise_shape=(None, 1), seed=4).get_config()
    assert config["noise_shape"] == [None, 1]
    rebuilt = AlphaDropout.from_config(config)
    assert rebuilt.noise_shape == (None, 1)
    np.testing.assert_equal(rebuilt.get_config(), config)
