"""``Activation``: applies an activation function as a layer of its own."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import activations
from fitorch.layers.activations.base_activation import CALL_ARGUMENTS, SAME_SHAPE, BaseActivation
from fitorch.utils.docstrings import fill_doc


@fill_doc(call_arguments=CALL_ARGUMENTS, same_shape=SAME_SHAPE)
class Activation(BaseActivation):
    """Applies an activation function to its input, elementwise (softmax: over the last axis).

    Use it to apply an activation after a layer built without one, e.g. between a
    ``Dense`` and a ``BatchNormalization``, or to name the activation in a model.

    Args:
        activation: a Keras activation name (``'relu'``, ``'softmax'`` ...), a callable,
            or ``None`` (linear).

    {call_arguments}

    {same_shape}

    Example:
        >>> import torch
        >>> from fitorch.layers.activations import Activation
        >>> Activation("relu")(torch.tensor([-3.0, -1.0, 0.0, 2.0]))
        tensor([0., 0., 0., 2.])
    """

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.activation(inputs)

    def get_config(self) -> dict[str, Any]:
        """Returns the config; the activation is stored by its registered name.

        Raises:
            TypeError: when the activation is a callable with no registered name,
                which a config could not restore.
        """
        name = activations.serialize(self.activation)
        if name is None:
            raise TypeError(
                f"Activation {self.name!r}: the activation {self.activation!r} has no registered name, so "
                "get_config() cannot describe it as plain data. Use a built-in name such as 'relu', or "
                "subclass fitorch.layers.Layer with the computation in call()."
            )
        return {**super().get_config(), "activation": name}
