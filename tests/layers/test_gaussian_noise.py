import math

import pytest
import torch

from fitorch.layers.regularization import GaussianNoise
from tests.layers.harness import keras, run_layer_test


def _keras_train(layer, x: torch.Tensor) -> torch.Tensor:
    return torch.as_tensor(keras().ops.convert_to_numpy(layer(x.numpy(), training=True)))


@pytest.mark.parametrize("stddev, shape", [(0.1, (4, 5)), (0.5, (2, 3, 4)), (0.0, (3, 2))])
def test_inference_matches_keras(stddev, shape):
    run_layer_test(
        lambda: GaussianNoise(stddev, seed=1),
        shape,
        lambda: keras().layers.GaussianNoise(stddev, seed=1),
        deterministic_in_training=False,
    )


def test_training_noise_is_zero_mean_with_stddev_like_keras():
    stddev = 0.3
    x = torch.randn(400, 250)
    noise = GaussianNoise(stddev)(x, training=True) - x
    keras_noise = _keras_train(keras().layers.GaussianNoise(stddev), x) - x
    for n in (noise, keras_noise):
        assert abs(n.mean().item()) < 3 * stddev / math.sqrt(n.numel())
        assert abs(n.std().item() - stddev) < 0.005
    assert not torch.equal(noise, torch.zeros_like(noise))


def test_noise_is_independent_of_the_input_value():
    y = GaussianNoise(0.2, seed=3)(torch.full((10_000,), 5.0), training=True)
    assert abs(y.mean().item() - 5.0) < 0.01


def test_seed_repeats_and_successive_calls_differ():
    x = torch.zeros(3, 50)
    first = GaussianNoise(0.1, seed=4)
    a, b = first(x, training=True), first(x, training=True)
    assert not torch.equal(a, b)
    again = GaussianNoise(0.1, seed=4)
    assert torch.equal(a, again(x, training=True))


def test_inference_returns_input_and_keeps_mask():
    layer = GaussianNoise(0.1).eval()
    x = torch.randn(2, 3)
    assert layer(x) is x
    assert GaussianNoise.supports_masking


def test_stddev_above_one_is_allowed_unlike_keras():
    y = GaussianNoise(3.0)(torch.zeros(100_000), training=True)
    assert abs(y.std().item() - 3.0) < 0.05


@pytest.mark.parametrize("stddev", [-0.1, float("nan"), float("inf"), "0.1", True])
def test_stddev_must_be_non_negative_float(stddev):
    with pytest.raises(ValueError, match=r"GaussianNoise 'gn': stddev must be a finite float >= 0"):
        GaussianNoise(stddev, name="gn")


def test_config_round_trip_keeps_keras_keys():
    config = GaussianNoise(0.2, seed=7).get_config()
    assert config["stddev"] == 0.2 and config["seed"] == 7
    assert GaussianNoise.from_config(config).get_config() == config
