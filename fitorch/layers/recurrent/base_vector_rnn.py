"""``BaseVectorRNN``: the shared parent of ``SimpleRNN``, ``LSTM`` and ``GRU``.

These layers read ``(batch, timesteps, features)`` and keep ``units``-sized states.
Their kernels are stored in torch layout, as ``nn.RNNCell``/``nn.LSTMCell``/
``nn.GRUCell`` store them: ``weight_ih`` ``(gates * units, features)`` and
``weight_hh`` ``(gates * units, units)``; ``get_weights()`` returns Keras' ``kernel``
``(features, gates * units)`` and ``recurrent_kernel`` ``(units, gates * units)``.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch import activations, initializers
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.recurrent.base_rnn import BaseRNN, Shape, positive_int, standardize_initializer


class BaseVectorRNN(BaseRNN):
    """Abstract recurrent layer on ``(batch, timesteps, features)`` with ``units``-sized states.

    It validates the arguments ``SimpleRNN``, ``LSTM`` and ``GRU`` share and creates
    their kernels in torch layout: ``weight_ih`` ``(gates * units, features)`` and
    ``weight_hh`` ``(gates * units, units)``, whose transposes are Keras' ``kernel``
    and ``recurrent_kernel``. Subclasses set ``gates`` and ``state_count`` and add
    their biases in ``_build_biases``.
    """

    gates = 1
    state_count = 1

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.units = positive_int(units, "units", self._owner)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = standardize_initializer(kernel_initializer)
        self.recurrent_initializer = standardize_initializer(recurrent_initializer)
        self.bias_initializer = standardize_initializer(bias_initializer)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape: Shape) -> None:
        features = input_shape[-1]
        if features is None:
            raise ValueError(
                f"{self._owner}: the last axis of the input (features) must be known; received shape "
                f"{tuple(input_shape)}."
            )
        build_vector_kernels(self, features)
        self.input_spec = InputSpec(ndim=3, axes={-1: features})

    def _build_biases(self) -> None:
        if self.use_bias:
            self.add_weight("bias", (self.gates * self.units,), self.bias_initializer)
        else:
            self.bias = None

    def _state_tails(self) -> list[tuple[int, ...]]:
        return [(self.units,)] * self.state_count

    def _output_tail(self, input_shape: Shape) -> tuple[int | None, ...]:
        return (self.units,)

    def _project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        # (B, T, features) -> (B, T, gates * units), the input bias included
        return F.linear(inputs, self.weight_ih, self.bias)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
        }

    def extra_repr(self) -> str:
        return f"name={self.name!r}, units={self.units}, return_sequences={self.return_sequences}"


def build_vector_kernels(layer: Any, features: int) -> None:
    """Adds ``weight_ih``/``weight_hh`` (torch layout) and the biases to a layer or cell being built.

    Shared by ``BaseVectorRNN`` and ``BaseRNNCell``: ``layer`` has ``gates``, ``units``,
    the initializers and ``_build_biases``.
    """
    width = layer.gates * layer.units
    # Torch layout (gates * units, in); Keras' kernel is the transpose.
    layer.add_weight("weight_ih", (width, features), layer.kernel_initializer, keras_axes=(1, 0))
    layer.add_weight("weight_hh", (width, layer.units), layer.recurrent_initializer, keras_axes=(1, 0))
    layer._build_biases()
