import pytest
import torch

from fitorch.layers.activations import Activation
from fitorch.layers.core import Input
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize(
    "activation",
    ["relu", "sigmoid", "softmax", "tanh", "gelu", "silu", "swish", "elu", "selu", "softplus", "leaky_relu",
     "linear", None, "relu6", "hard_sigmoid", "softsign", "exponential", "mish", "log_softmax"],
)
def test_activation_matches_keras(activation):
    run_layer_test(lambda: Activation(activation), (3, 4, 5), lambda: keras().layers.Activation(activation))


def test_callable_activation_runs_but_cannot_be_serialized():
    layer = Activation(torch.square, name="sq")
    torch.testing.assert_close(layer(torch.tensor([2.0, -3.0])), torch.tensor([4.0, 9.0]))
    with pytest.raises(TypeError, match=r"Activation 'sq': the activation .* has no registered name"):
        layer.get_config()


def test_symbolic_shape_is_the_input_shape():
    assert Activation("relu")(Input(shape=(7, 2))).shape == (None, 7, 2)


def test_unknown_activation_name_suggests_close_names():
    with pytest.raises(ValueError, match="Unknown activation: 'rleu'. Did you mean 'relu'"):
        Activation("rleu")
