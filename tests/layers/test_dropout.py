import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.regularization import Dropout
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize("kwargs", [{"rate": 0.5}, {"rate": 0.2, "noise_shape": (None, 1, None), "seed": 3}])
def test_dropout_inference_matches_keras(kwargs):
    run_layer_test(
        lambda: Dropout(**kwargs),
        (4, 3, 5),
        lambda: keras().layers.Dropout(**kwargs),
        deterministic_in_training=False,
    )


@pytest.mark.parametrize("rate, kwargs", [(0.3, {}), (0.6, {"seed": 7})])
def test_training_keeps_about_1_minus_rate_scaled_by_keras_rule(rate, kwargs):
    layer = Dropout(rate, **kwargs)
    layer.train()
    x = torch.rand(200, 500) + 0.5  # no zeros in the input
    y = layer(x)
    kept = y != 0
    torch.testing.assert_close(y[kept], x[kept] / (1 - rate), rtol=1e-6, atol=0)
    assert abs(kept.float().mean().item() - (1 - rate)) < 0.01


def test_keras_training_output_follows_the_same_rule():
    rate = 0.4
    x = torch.rand(50, 40) + 0.5
    y = keras().layers.Dropout(rate)(x.numpy(), training=True)
    y = torch.as_tensor(keras().ops.convert_to_numpy(y))
    kept = y != 0
    torch.testing.assert_close(y[kept], x[kept] / (1 - rate), rtol=1e-6, atol=0)


def test_noise_shape_shares_the_mask_along_size_1_axes():
    layer = Dropout(0.5, noise_shape=(None, 1, None))
    y = layer(torch.ones(8, 6, 10), training=True)
    assert torch.equal(y, y[:, :1, :].expand_as(y))
    assert set(y.unique().tolist()) == {0.0, 2.0}


def test_seed_makes_masks_repeat():
    x = torch.ones(4, 100)
    first = Dropout(0.5, seed=11)(x, training=True)
    second = Dropout(0.5, seed=11)(x, training=True)
    assert torch.equal(first, second)


def test_inference_is_the_identity_without_copies():
    layer = Dropout(0.5)
    layer.eval()
    x = torch.randn(3, 4)
    assert layer(x) is x


@pytest.mark.parametrize("rate", [1.0, -0.1, 1.5, "0.5"])
def test_rate_must_be_in_0_1(rate):
    with pytest.raises(ValueError, match=r"Dropout 'drop': rate must be a float in \[0, 1\)"):
        Dropout(rate, name="drop")


def test_noise_shape_that_does_not_broadcast_names_layer_and_shapes():
    layer = Dropout(0.5, noise_shape=(None, 2, 1), name="drop2")
    with pytest.raises(
        ValueError,
        match=r"Dropout 'drop2': noise_shape=\(None, 2, 1\) does not broadcast to the "
        r"input shape \(None, 3, 5\)",
    ):
        layer(Input(shape=(3, 5)))
