"""``Dense``: the fully connected layer, ``activation(inputs @ kernel + bias)``."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch import activations, constraints, initializers, regularizers
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer


class Dense(Layer):
    """Densely connected layer; its weights load into ``nn.Linear`` directly.

    Use it for the last layers of a classifier or regressor, or any learned affine
    map of the last axis. Inputs of rank > 2 are mapped along the last axis.

    Args:
        units: positive int, size of the output's last axis.
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.
        kernel_regularizer, bias_regularizer: optional Keras regularizers; their penalties
            join the training loss.
        kernel_constraint, bias_constraint: optional Keras constraints, applied after
            each optimizer step.
        activity_regularizer: optional regularizer on the outputs (any layer takes it).

    Input shape:
        ``(batch, ..., input_dim)``.

    Output shape:
        ``(batch, ..., units)``.

    Weights:
        ``weight`` of shape ``(units, input_dim)`` (torch layout; Keras' ``kernel`` is
        its transpose) and ``bias`` of shape ``(units,)``.

    Example:
        >>> import torch
        >>> from fitorch import layers
        >>> layer = layers.Dense(4, activation="relu")
        >>> layer(torch.ones(2, 3)).shape
        torch.Size([2, 4])
        >>> layer.weight.shape
        torch.Size([4, 3])
    """

    supports_masking = True

    def __init__(
        self,
        units: int,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"Dense {self.name!r}: units must be a positive int; received units={units!r}.")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Dense {self.name!r}: the last axis of the input must be known; received shape {input_shape}."
            )
        self.add_weight("weight", (self.units, input_dim), self.kernel_initializer, keras_axes=(1, 0),
                        regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        if self.use_bias:
            self.add_weight("bias", (self.units,), self.bias_initializer, regularizer=self.bias_regularizer,
                            constraint=self.bias_constraint)
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.activation(F.linear(inputs, self.weight, self.bias))

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return (*input_shape[:-1], self.units)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }

