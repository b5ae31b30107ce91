"""``BaseRNNCell``: the shared parent of ``SimpleRNNCell``, ``LSTMCell`` and ``GRUCell``.

A cell computes one step of a recurrent layer: ``call(inputs, states, training=None)``
returns ``(output, new_states)``. ``RNN`` runs a cell over the time axis.

The cells keep their weights exactly as ``SimpleRNN``, ``LSTM`` and ``GRU`` do (torch
layout ``weight_ih`` ``(gates * units, features)``, ``weight_hh`` ``(gates * units,
units)``, Keras layout through ``get_weights``), and they run the very same step code:
each cell class takes its layer's ``_build_biases``, ``_project_inputs`` and ``_step``
(plain functions reading ``weight_hh``, ``activation`` ... from ``self``), so the gate
math exists once.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch

from fitorch import activations, initializers
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer
from fitorch.layers.recurrent.base_rnn import BaseRNN, Shape, positive_int, standardize_initializer
from fitorch.layers.recurrent.base_vector_rnn import build_vector_kernels


class BaseRNNCell(Layer):
    """Abstract cell on ``(batch, features)`` inputs with ``units``-sized states.

    Args:
        units: positive int, size of the output and of each state.
        activation: the output/candidate activation (default ``'tanh'``).
        use_bias: whether to add biases (default ``True``).
        kernel_initializer: for the input kernel (default ``'glorot_uniform'``).
        recurrent_initializer: for the recurrent kernel (default ``'orthogonal'``).
        bias_initializer: default ``'zeros'``.
        dropout: float in ``[0, 1)``, input dropout while training; one mask kept
            until ``reset_dropout_mask()`` (``RNN`` resets it after each sequence).
        recurrent_dropout: float in ``[0, 1)``, dropout on the recurrent state while
            training, kept until ``reset_recurrent_dropout_mask()``.
        seed: optional int seeding the dropout masks.
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
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = self._owner
        self.units = positive_int(units, "units", owner)
        for argument, value in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not isinstance(value, Real) or isinstance(value, bool) or not 0.0 <= value < 1.0:
                raise ValueError(
                    f"{owner}: {argument} must be a float in [0, 1), the fraction of units to drop; "
                    f"received {argument}={value!r}."
                )
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise TypeError(f"{owner}: seed must be an int or None; received seed={seed!r}.")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = standardize_initializer(kernel_initializer)
        self.recurrent_initializer = standardize_initializer(recurrent_initializer)
        self.bias_initializer = standardize_initializer(bias_initializer)
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        self._generators: dict[torch.device, torch.Generator] = {}
        self._input_mask: torch.Tensor | None = None
        self._recurrent_mask: torch.Tensor | None = None
        self.input_spec = InputSpec(ndim=2)

    @property
    def _owner(self) -> str:
        return f"{type(self).__name__} {self.name!r}"

    # The dropout masks are drawn like the layers' (seeded generator per device).
    _dropout_mask = BaseRNN._dropout_mask
    _generator = BaseRNN._generator

    @property
    def state_size(self) -> int | list[int]:
        """Keras' ``state_size``: ``units``, or ``[units, units]`` for the LSTM cell."""
        return self.units if self.state_count == 1 else [self.units] * self.state_count

    @property
    def output_size(self) -> int:
        return self.units

    def build(self, input_shape: Shape) -> None:
        features = input_shape[-1]
        if features is None:
            raise ValueError(
                f"{self._owner}: the last axis of the input (features) must be known; received shape "
                f"{tuple(input_shape)}."
            )
        build_vector_kernels(self, features)
        self.input_spec = InputSpec(ndim=2, axes={-1: features})

    def get_initial_state(self, batch_size: int | None = None) -> list[torch.Tensor]:
        """Zero states, ``[(batch_size, units)] * state_count``, in the cell's dtype and device."""
        weight = next(iter(self.parameters()), None)
        dtype = weight.dtype if weight is not None else torch.get_default_dtype()
        device = weight.device if weight is not None else None
        return [torch.zeros((batch_size or 0, self.units), dtype=dtype, device=device) for _ in range(self.state_count)]

    def reset_dropout_mask(self) -> None:
        """Forgets the input dropout mask; the next training call draws a new one."""
        self._input_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        """Forgets the recurrent dropout mask; the next training call draws a new one."""
        self._recurrent_mask = None

    def call(
        self, inputs: torch.Tensor, states: torch.Tensor | list[torch.Tensor], training: bool | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | list[torch.Tensor]]:
        training = self.training if training is None else bool(training)
        given_list = isinstance(states, (list, tuple))
        state_list = list(states) if given_list else [states]
        if len(state_list) != self.state_count:
            raise ValueError(
                f"{self._owner}: states must be a list of {self.state_count} tensor(s) of shape (batch, "
                f"{self.units}); received {len(state_list)}."
            )
        recurrent_mask = None
        if training and self.dropout > 0.0:
            if self._input_mask is None or self._input_mask.shape != inputs.shape:
                self._input_mask = self._dropout_mask(inputs.shape, self.dropout, inputs)
            inputs = inputs * self._input_mask
        if training and self.recurrent_dropout > 0.0:
            h = state_list[0]
            if self._recurrent_mask is None or self._recurrent_mask.shape != h.shape:
                self._recurrent_mask = self._dropout_mask(h.shape, self.recurrent_dropout, h)
            recurrent_mask = self._recurrent_mask
        output, new_states = self._step(self._project_inputs(inputs), state_list, recurrent_mask)
        if not given_list and self.state_count == 1:
            return output, new_states[0]
        return output, new_states

    def _project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def _step(
        self, projected: torch.Tensor, states: list[torch.Tensor], recurrent_mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        raise NotImplementedError

    def compute_output_shape(self, input_shape: Shape, states_shape: Any = None) -> Any:
        batch = tuple(input_shape)[0]
        states = [(batch, self.units) for _ in range(self.state_count)]
        return (batch, self.units), states

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }

    def extra_repr(self) -> str:
        return f"name={self.name!r}, units={self.units}"
