import math

import pytest
import torch

from fitorch.layers.regularization import GaussianDropout
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize("rate, shape", [(0.2, (4, 5)), (0.5, (2, 3, 4)), (0.0, (3, 2))])
def test_inference_matches_keras(rate, shape):
    run_layer_test(
        lambda: GaussianDropout(rate, seed=1),
        shape,
        lambda: keras().layers.GaussianDropout(rate, seed=1),
        deterministic_in_training=False,
    )


@pytest.mark.parametrize("rate", [0.1, 0.4])
def test_multiplicative_noise_has_mean_1_and_keras_stddev(rate):
    x = torch.rand(400, 250) + 0.5
    expected_std = math.sqrt(rate / (1 - rate))
    ours = GaussianDropout(rate)(x, training=True) / x
    theirs = torch.as_tensor(
        keras().ops.convert_to_numpy(keras().layers.GaussianDropout(rate)(x.numpy(), training=True))
    ) / x
    for factor in (ours, theirs):
        assert abs(factor.mean().item() - 1.0) < 4 * expected_std / math.sqrt(factor.numel())
        assert abs(factor.std().item() - expected_std) < 0.01 * expected_std + 0.002


def test_zero_stays_zero_and_seed_repeats():
    x = torch.zeros(5, 5)
    assert torch.equal(GaussianDropout(0.5)(x, training=True), x)
    x = torch.randn(5, 5)
    assert torch.equal(GaussianDropout(0.5, seed=9)(x, training=True), GaussianDropout(0.5, seed=9)(x, training=True))


def test_inference_returns_input():
    x = torch.randn(2, 3)
    assert GaussianDropout(0.5).eval()(x) is x


@pytest.mark.parametrize("rate", [1.0, -0.2, "0.1"])
def test_rate_must_be_in_0_1(rate):
    with pytest.raises(ValueError, match=r"GaussianDropout 'gd': rate must be a float in \[0, 1\)"):
        GaussianDropout(rate, name="gd")
