"""``Activation``: applies an activation function as a layer of its own."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import activations
from fitorch.layers.layer import Layer


class Activation(Layer):
    """Applies an activation function to its input, elementwise (softmax: over the last axis).

    Use it to apply an activation after a layer built without one, e.g. between a
    ``Dense`` and a ``BatchNormalization``, or to name the activation in a model.

    Args:
        activation: a Keras activation name (``'relu'``, ``'softmax'`` ...), a callable,
            or ``None`` (linear).

    Call arguments:
        inputs: a tensor.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
        >>> import torch
        >>> from fitorch.layers.activations import Activation
        >>> Activation("relu")(torch.tensor([-3.0, -1.0, 0.0, 2.0]))
        tensor([0., 0., 0., 2.])
    """

    supports_masking = True

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.activation(inputs)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape)

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
