"""``LSTM``: Long Short-Term Memory (Hochreiter & Schmidhuber, 1997), on torch's fused kernel."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch import activations
from fitorch.layers.recurrent.base_rnn import SIGMOID, TANH, FusedKernel, unit_forget_bias_initializer
from fitorch.layers.recurrent.base_vector_rnn import BaseVectorRNN


class LSTM(BaseVectorRNN):
    """Long Short-Term Memory layer: gated memory cells for long-range dependencies.

    Use it for sequences (text, audio, time series) where a plain ``SimpleRNN``
    forgets too fast. With the default activations and no ``recurrent_dropout`` it
    runs torch's fused LSTM kernel (cuDNN on GPU), also for masks that only pad the
    end of each sequence (packed sequences); otherwise it runs a per-step loop with
    the same math as Keras.

    Args:
        units: positive int, size of the output and of each state.
        activation: for the cell candidate and the output (default ``'tanh'``).
        recurrent_activation: for the gates (default ``'sigmoid'``).
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: for the input kernel (default ``'glorot_uniform'``).
        recurrent_initializer: for the recurrent kernel (default ``'orthogonal'``).
        bias_initializer: default ``'zeros'``.
        unit_forget_bias: add 1 to the forget gate's bias at initialization
            (default ``True``).
        dropout: float in ``[0, 1)``, input dropout while training (default 0).
        recurrent_dropout: float in ``[0, 1)``, recurrent-state dropout while training
            (default 0); it forces the per-step loop.
        seed: optional int seeding the dropout masks.
        return_sequences: return every step's output (default ``False``).
        return_state: also return the final states ``h`` and ``c`` (default ``False``).
        go_backwards: process the sequence backwards and return it reversed
            (default ``False``).
        stateful: carry the final states into the next batch (default ``False``).
        unroll: accepted for Keras compatibility (default ``False``).
        use_cudnn: ``'auto'`` (default), ``True`` or ``False``: whether to use the
            fused kernel (see ``BaseRNN``).
        **kwargs: ``zero_output_for_mask`` and the ``Layer`` arguments.

    Call arguments:
        sequences: ``(batch, timesteps, features)``.
        initial_state: optional list ``[h, c]`` of ``(batch, units)`` tensors.
        mask: optional ``(batch, timesteps)`` boolean tensor; masked steps keep the
            previous states and output. Received automatically from
            ``Embedding(mask_zero=True)``.
        training: optional bool, for dropout.

    Input shape:
        ``(batch, timesteps, features)``.

    Output shape:
        ``(batch, units)``, or ``(batch, timesteps, units)`` with
        ``return_sequences``; with ``return_state``, ``(output, h, c)``.

    Weights:
        ``weight_ih`` ``(4 * units, features)``, ``weight_hh`` ``(4 * units, units)``
        and ``bias`` ``(4 * units,)``, gates in the order input, forget, cell, output
        (Keras' and torch's order). ``get_weights()`` gives Keras' ``kernel``
        ``(features, 4 * units)``, ``recurrent_kernel`` and ``bias``. Keras has one
        bias where ``nn.LSTM`` has two; the fused kernel gets zeros as the second.

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import LSTM
        >>> layer = LSTM(8, return_state=True)
        >>> output, h, c = layer(torch.ones(4, 20, 3))
        >>> output.shape, h.shape, c.shape
        (torch.Size([4, 8]), torch.Size([4, 8]), torch.Size([4, 8]))
        >>> layer.weight_ih.shape, layer.bias[8:16].tolist() == [1.0] * 8  # unit_forget_bias
        (torch.Size([32, 3]), True)
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
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        use_cudnn: str | bool = "auto",
        **kwargs: Any,
    ) -> None:
        super().__init__(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            use_cudnn=use_cudnn,
            **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)

    def _build_biases(self) -> None:
        if not self.use_bias:
            self.bias = None
            return
        initializer = self.bias_initializer
        if self.unit_forget_bias:
            initializer = unit_forget_bias_initializer(self.bias_initializer, self.units)
        self.add_weight("bias", (4 * self.units,), initializer)

    def _fused_kernel(self) -> FusedKernel | None:
        if self.activation not in TANH or self.recurrent_activation not in SIGMOID:
            return None
        if self.bias is None:
            return torch.lstm, [self.weight_ih, self.weight_hh], False
        # Keras has one bias; the kernel's second (recurrent) bias is zero.
        return torch.lstm, [self.weight_ih, self.weight_hh, self.bias, torch.zeros_like(self.bias)], True

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
