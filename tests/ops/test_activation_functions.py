"""``fitorch.activations`` functions, by name, equal Keras' (torch backend) and keep their names."""

from __future__ import annotations

import pytest
import torch

from fitorch import activations

X = torch.linspace(-5.0, 5.0, 41).reshape(41, 1) * torch.tensor([1.0, 0.3])
NAMES = ["linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "hard_silu", "hard_swish", "softmax", "log_softmax",
         "tanh", "gelu", "silu", "swish", "elu", "selu", "softplus", "softsign", "leaky_relu", "exponential", "mish"]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_activation_matches_keras(name: str) -> None:
    import keras

    expected = keras.activations.get(name)(X)
    torch.testing.assert_close(activations.get(name)(X), torch.as_tensor(expected))


@pytest.mark.parametrize("name", NAMES)
def test_activation_serializes_to_a_name_that_gets_it_back(name: str) -> None:
    function = activations.get(name)
    assert activations.get(activations.serialize(function)) is function


WRAPPED = ["relu6", "hard_sigmoid", "hard_silu", "silu", "selu", "softplus", "softsign", "exponential", "mish"]


@pytest.mark.parametrize("name", WRAPPED)
def test_wrapped_activations_keep_their_name_docstring_and_signature(name: str) -> None:
    import inspect

    function = getattr(activations, name)
    assert function.__name__ == name and function.__module__ == "fitorch.activations" and function.__doc__
    assert list(inspect.signature(function).parameters) == ["x"]
