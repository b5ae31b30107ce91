"""The ``units``-sized recurrences: ``SimpleRNN``, ``LSTM``, ``GRU`` and their cells.

A layer and its cell have the same arguments, weights and step math, written once in a
recurrence class that both inherit (``LSTM(LSTMRecurrence, BaseVectorRNN)`` and
``LSTMCell(LSTMRecurrence, BaseRNNCell)``):

- ``BaseVectorRecurrence``: ``units``, ``activation``, ``use_bias``, the initializers,
  the kernels and the input projection;
- ``SimpleRNNRecurrence``, ``LSTMRecurrence`` and ``GRURecurrence``: each family's own
  arguments, biases and step.

Kernels are stored in torch layout, as ``nn.RNNCell``/``nn.LSTMCell``/``nn.GRUCell``
store them: ``weight_ih`` ``(gates * units, features)`` and ``weight_hh``
``(gates * units, units)``; ``get_weights()`` returns Keras' ``kernel``
``(features, gates * units)`` and ``recurrent_kernel`` ``(units, gates * units)``.
``BaseVectorRNN`` adds what the layers have beyond the cells; the cells' part is
``BaseRNNCell``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from fitorch import activations, initializers
from fitorch.layers.convolutional.base_conv import check_positive_int, standardize_initializer
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.recurrent.base_recurrent import BaseRecurrent, Shape, lstm_bias_initializer
from fitorch.layers.recurrent.base_rnn import KERNEL_ARGUMENTS, MASK_AND_TRAINING, SEQUENCE_ARGUMENTS, BaseRNN

# Docstring sections of the public layers and cells (filled in by ``fitorch.utils.docstrings.fill_doc``).
USE_CUDNN = """\
use_cudnn: ``'auto'`` (default), ``True`` or ``False``: whether to use the fused
    kernel (see ``BaseRNN``).
**kwargs: the ``Layer`` arguments (``name``, ``dtype``, ``input_shape`` ...).
"""


def layer_doc_sections(arguments: str, initial_state: str, final_states: str) -> dict[str, str]:
    """The ``{api}`` docstring section of a vector RNN layer (for ``fill_doc``).

    Args:
        arguments: the ``Args`` lines of its recurrence (``LSTM_ARGUMENTS`` ...).
        initial_state: what the ``initial_state`` call argument is.
        final_states: what ``return_state`` adds to the output.
    """
    api = (
        "Args:\n"
        f"{textwrap.indent(arguments + SEQUENCE_ARGUMENTS + USE_CUDNN, '    ')}\n"
        "Call arguments:\n"
        "    sequences: ``(batch, timesteps, features)``.\n"
        f"    initial_state: {initial_state}\n"
        f"{textwrap.indent(MASK_AND_TRAINING, '    ')}\n"
        "Input shape:\n"
        "    ``(batch, timesteps, features)``.\n\n"
        "Output shape:\n"
        "    ``(batch, units)``, or ``(batch, timesteps, units)`` with\n"
        f"    ``return_sequences``; with ``return_state``, {final_states}.\n"
    )
    return {"api": api}


class BaseVectorRecurrence(BaseRecurrent):
    """Abstract recurrence with ``units``-sized states on ``(..., features)`` inputs.

    It validates the arguments every vector RNN and cell shares and creates the kernels
    in torch layout (``weight_ih`` ``(gates * units, features)``, ``weight_hh``
    ``(gates * units, units)``) and the biases. Subclasses set ``gates`` and
    ``state_count``, implement ``_step`` and set ``_input_ndim`` (3 for a layer, 2 for a
    cell).
    """

    gates = 1
    state_count = 1
    _input_ndim: int

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
        check_positive_int(units, "units", self._owner)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = standardize_initializer(kernel_initializer)
        self.recurrent_initializer = standardize_initializer(recurrent_initializer)
        self.bias_initializer = standardize_initializer(bias_initializer)
        self.input_spec = InputSpec(ndim=self._input_ndim)

    def build(self, input_shape: Shape) -> None:
        features = input_shape[-1]
        if features is None:
            raise ValueError(
                f"{self._owner}: the last axis of the input (features) must be known; received shape "
                f"{tuple(input_shape)}."
            )
        width = self.gates * self.units
        # Torch layout (gates * units, in); Keras' kernel is the transpose.
        self.add_weight("weight_ih", (width, features), self.kernel_initializer, keras_axes=(1, 0))
        self.add_weight("weight_hh", (width, self.units), self.recurrent_initializer, keras_axes=(1, 0))
        self._build_biases()
        self.input_spec = InputSpec(ndim=self._input_ndim, axes={-1: features})

    def _build_biases(self) -> None:
        if self.use_bias:
            self.add_weight("bias", (self.gates * self.units,), self._bias_initializer())
        else:
            self.bias = None

    def _bias_initializer(self) -> Any:
        return self.bias_initializer

    def _project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        # (..., features) -> (..., gates * units), the input bias included
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
        return f"name={self.name!r}, units={self.units}"


SIMPLE_RNN_ARGUMENTS = f"""\
units: positive int, size of the output and of the state.
activation: default ``'tanh'``; ``None`` is linear.
{KERNEL_ARGUMENTS}"""


class SimpleRNNRecurrence(BaseVectorRecurrence):
    """``SimpleRNN``'s step, ``h = activation(x W + h U + b)``, shared with ``SimpleRNNCell``."""

    def _step(
        self, projected: torch.Tensor, states: list[torch.Tensor], recurrent_mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        h = states[0] if recurrent_mask is None else states[0] * recurrent_mask
        output = self.activation(projected + F.linear(h, self.weight_hh))  # (B, units)
        return output, [output]


LSTM_ARGUMENTS = f"""\
units: positive int, size of the output and of each state.
activation: for the cell candidate and the output (default ``'tanh'``).
recurrent_activation: for the gates (default ``'sigmoid'``).
{KERNEL_ARGUMENTS}\
unit_forget_bias: add 1 to the forget gate's bias at initialization
    (default ``True``).
"""


class LSTMRecurrence(BaseVectorRecurrence):
    """``LSTM``'s arguments, bias and step over ``[h, c]``, shared with ``LSTMCell``.

    Gates in the order input, forget, cell, output (Keras' and torch's order).
    """

    gates = 4
    state_count = 2

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer, **kwargs
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)

    def _bias_initializer(self) -> Any:
        return lstm_bias_initializer(self.bias_initializer, self.unit_forget_bias, self.units)

    def _step(
        self, projected: torch.Tensor, states: list[torch.Tensor], recurrent_mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        h, c = states
        if recurrent_mask is not None:
            h = h * recurrent_mask
        z = projected + F.linear(h, self.weight_hh)  # (B, 4 * units)
        i, f, g, o = z.chunk(4, dim=-1)
        gate = self.recurrent_activation
        c = gate(f) * c + gate(i) * self.activation(g)
        h = gate(o) * self.activation(c)
        return h, [h, c]

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
        }


GRU_ARGUMENTS = f"""\
units: positive int, size of the output and of the state.
activation: for the candidate state (default ``'tanh'``).
recurrent_activation: for the gates (default ``'sigmoid'``).
{KERNEL_ARGUMENTS}\
reset_after: apply the reset gate after the recurrent matmul (default
    ``True``), with separate input and recurrent biases.
"""


class GRURecurrence(BaseVectorRecurrence):
    """``GRU``'s arguments, biases, step and Keras weights, shared with ``GRUCell``.

    Weights are kept in torch's gate order (reset, update, new), as in ``nn.GRUCell``;
    ``get_weights()``/``set_weights()`` convert to Keras' order (update, reset, candidate).
    """

    gates = 3

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        *,
        reset_after: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer, **kwargs
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)

    def _build_biases(self) -> None:
        if not self.use_bias:
            self.bias = self.bias_ih = self.bias_hh = None
        elif self.reset_after:  # torch's two biases are the rows of Keras' (2, 3 * units) bias
            self.bias = None
            self.add_weight("bias_ih", (3 * self.units,), self.bias_initializer)
            self.add_weight("bias_hh", (3 * self.units,), self.bias_initializer)
        else:
            self.bias_ih = self.bias_hh = None
            self.add_weight("bias", (3 * self.units,), self.bias_initializer)

    def _project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        # (..., features) -> (..., 3 * units), gates (r, z, n)
        return F.linear(inputs, self.weight_ih, self.bias_ih if self.reset_after else self.bias)

    def _step(
        self, projected: torch.Tensor, states: list[torch.Tensor], recurrent_mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        h = states[0]
        dropped = h if recurrent_mask is None else h * recurrent_mask
        x_r, x_z, x_n = projected.chunk(3, dim=-1)
        gate = self.recurrent_activation
        if self.reset_after:
            h_r, h_z, h_n = F.linear(dropped, self.weight_hh, self.bias_hh).chunk(3, dim=-1)
            r, z = gate(x_r + h_r), gate(x_z + h_z)
            candidate = self.activation(x_n + r * h_n)
        else:
            units = self.units
            h_r, h_z = F.linear(dropped, self.weight_hh[: 2 * units]).chunk(2, dim=-1)
            r, z = gate(x_r + h_r), gate(x_z + h_z)
            candidate = self.activation(x_n + F.linear(r * dropped, self.weight_hh[2 * units :]))
        h = z * h + (1.0 - z) * candidate
        return h, [h]

    # ------------------------------------------------------------------ Keras weights
    def get_weights(self) -> list[np.ndarray]:
        """Keras' ``[kernel, recurrent_kernel, bias]``: transposed, in Keras' gate order (z, r, h)."""
        if not self.built:
            return []
        with torch.no_grad():
            arrays = [_swap_reset_update(self.weight_ih).t(), _swap_reset_update(self.weight_hh).t()]
            if self.use_bias and self.reset_after:
                arrays.append(torch.stack([_swap_reset_update(self.bias_ih), _swap_reset_update(self.bias_hh)]))
            elif self.use_bias:
                arrays.append(_swap_reset_update(self.bias))
            return [a.cpu().float().numpy() if a.dtype == torch.bfloat16 else a.cpu().numpy() for a in arrays]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Sets Keras' ``[kernel, recurrent_kernel, bias]``; all shapes are checked before any change.

        Raises:
            ValueError: if the count or any shape differs from Keras' GRU weights.
        """
        targets = self._keras_targets()
        if len(weights) != len(targets):
            raise ValueError(
                f"Layer {self.name!r}: set_weights expected {len(targets)} arrays, received {len(weights)}."
            )
        converted = []
        for index, ((shape, _), array) in enumerate(zip(targets, weights, strict=True)):
            value = torch.as_tensor(np.asarray(array))
            if tuple(value.shape) != shape:
                raise ValueError(
                    f"Layer {self.name!r}: weight {index} expected Keras shape {shape}, received {tuple(value.shape)}."
                )
            converted.append(value)
        with torch.no_grad():
            for (_, assign), value in zip(targets, converted, strict=True):
                assign(value)

    def _keras_targets(self) -> list[tuple[tuple[int, ...], Any]]:
        """``(keras_shape, assign)`` per Keras weight; ``assign`` writes a Keras-layout tensor."""
        if not self.built:
            return []
        width = 3 * self.units

        def copy_to(*parameters: torch.Tensor) -> Any:
            def assign(value: torch.Tensor) -> None:
                rows = [value] if len(parameters) == 1 else list(value)
                for parameter, row in zip(parameters, rows, strict=True):
                    torch_order = _swap_reset_update(row.t() if row.ndim == 2 else row)
                    parameter.copy_(torch_order)

            return assign

        targets = [
            ((self.weight_ih.shape[1], width), copy_to(self.weight_ih)),
            ((self.units, width), copy_to(self.weight_hh)),
        ]
        if self.use_bias and self.reset_after:
            targets.append(((2, width), copy_to(self.bias_ih, self.bias_hh)))
        elif self.use_bias:
            targets.append(((width,), copy_to(self.bias)))
        return targets

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "reset_after": self.reset_after,
        }


def _swap_reset_update(tensor: torch.Tensor) -> torch.Tensor:
    """Swaps the first two gate blocks along axis 0: torch's (r, z, n) <-> Keras' (z, r, h)."""
    first, second, third = tensor.chunk(3, dim=0)
    return torch.cat([second, first, third], dim=0)


class BaseVectorRNN(BaseVectorRecurrence, BaseRNN):
    """Abstract recurrent layer on ``(batch, timesteps, features)`` with ``units``-sized states.

    The public layers combine it with their recurrence, e.g.
    ``LSTM(LSTMRecurrence, BaseVectorRNN)``, and add the fused kernel.
    """

    _input_ndim = 3

    def _state_tails(self) -> list[tuple[int, ...]]:
        return [(self.units,)] * self.state_count

    def _output_tail(self, input_shape: Shape) -> tuple[int | None, ...]:
        return (self.units,)

    def extra_repr(self) -> str:
        return f"name={self.name!r}, units={self.units}, return_sequences={self.return_sequences}"
