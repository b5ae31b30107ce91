import pytest
import torch

from fitorch.layers.activations import ELU
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize("alpha", [1.0, 0.5, 2.0])
def test_elu_matches_keras(alpha):
    run_layer_test(lambda: ELU(alpha), (3, 4, 5), lambda: keras().layers.ELU(alpha))


def test_alpha_survives_the_config_round_trip():
    # Keras 3's ELU.get_config() omits alpha; fitorch keeps it.
    layer = ELU.from_config(ELU(alpha=0.7).get_config())
    torch.testing.assert_close(layer(torch.tensor([-50.0])), torch.tensor([-0.7]))


def test_alpha_must_be_a_number():
    with pytest.raises(ValueError, match=r"ELU 'e': alpha must be a float"):
        ELU("1", name="e")
