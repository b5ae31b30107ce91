import pytest
import torch

from fitorch.layers.activations import LeakyReLU
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize("kwargs", [{}, {"negative_slope": 0.0}, {"negative_slope": 0.05}, {"negative_slope": 1.5}])
def test_leaky_relu_matches_keras(kwargs):
    run_layer_test(lambda: LeakyReLU(**kwargs), (3, 4, 5), lambda: keras().layers.LeakyReLU(**kwargs))


def test_default_slope_is_keras_3s_0_3():
    assert LeakyReLU().negative_slope == keras().layers.LeakyReLU().negative_slope == 0.3
    torch.testing.assert_close(LeakyReLU()(torch.tensor([-1.0])), torch.tensor([-0.3]))


def test_deprecated_alpha_is_accepted_with_a_warning():
    with pytest.warns(UserWarning, match="alpha"):
        layer = LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1
    assert "alpha" not in layer.get_config()


@pytest.mark.parametrize("slope", [-0.1, None, "0.2"])
def test_negative_slope_must_be_non_negative(slope):
    with pytest.raises(ValueError, match=r"LeakyReLU 'lr': negative_slope must be a float >= 0"):
        LeakyReLU(slope, name="lr")
