"""``SimpleRNN``: the fully connected recurrent layer, ``h_t = activation(x_t W + h_{t-1} U + b)``."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.recurrent.base_rnn import RELU, TANH, FusedKernel
from fitorch.layers.recurrent.base_vector_rnn import BaseVectorRNN


class SimpleRNN(BaseVectorRNN):
    """Fully connected RNN whose output is fed back as the next step's state.

    Use it for short sequences or as a baseline; ``LSTM`` and ``GRU`` learn long-range
    dependencies far better. With ``activation='tanh'`` (default) or ``'relu'`` it
    runs torch's fused ``rnn_tanh``/``rnn_relu`` kernel; other activations and
    ``recurrent_dropout`` run a per-step loop.

    Args:
        units: positive int, size of the output and of the state.
        activation: default ``'tanh'``; ``None`` is linear.
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: for the input kernel (default ``'glorot_uniform'``).
        recurrent_initializer: for the recurrent kernel (default ``'orthogonal'``).
        bias_initializer: default ``'zeros'``.
        dropout: float in ``[0, 1)``, input dropout while training (default 0).
        recurrent_dropout: float in ``[0, 1)``, recurrent-state dropout while training
            (default 0).
        return_sequences: return every step's output (default ``False``).
        return_state: also return the final state (default ``False``).
        go_backwards: process the sequence backwards and return it reversed
            (default ``False``).
        stateful: carry the final state into the next batch (default ``False``).
        unroll: accepted for Keras compatibility (default ``False``).
        seed: optional int seeding the dropout masks.
        **kwargs: ``zero_output_for_mask``, ``use_cudnn`` (see ``BaseRNN``) and the
            ``Layer`` arguments (``name``, ``dtype``, ``input_shape`` ...).

    Call arguments:
        sequences: ``(batch, timesteps, features)``.
        initial_state: optional ``(batch, units)`` tensor (or a list holding it).
        mask: optional ``(batch, timesteps)`` boolean tensor; masked steps keep the
            previous state and output. Received automatically from
            ``Embedding(mask_zero=True)``.
        training: optional bool, for dropout.

    Input shape:
        ``(batch, timesteps, features)``.

    Output shape:
        ``(batch, units)``, or ``(batch, timesteps, units)`` with
        ``return_sequences``; with ``return_state``, ``(output, state)``.

    Weights:
        ``weight_ih`` ``(units, features)`` and ``weight_hh`` ``(units, units)`` (torch
        layout; Keras' ``kernel`` and ``recurrent_kernel`` are their transposes) and
        ``bias`` ``(units,)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import SimpleRNN
        >>> layer = SimpleRNN(4, return_sequences=True, return_state=True)
        >>> sequence, state = layer(torch.ones(2, 10, 3))
        >>> sequence.shape, state.shape
        (torch.Size([2, 10, 4]), torch.Size([2, 4]))
        >>> torch.equal(sequence[:, -1], state)
        True
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
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        seed: int | None = None,
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
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            seed=seed,
            **kwargs,
        )

    def _fused_kernel(self) -> FusedKernel | None:
        if self.activation in TANH:
            function = torch.rnn_tanh
        elif self.activation in RELU:
            function = torch.rnn_relu
        else:
            return None
        if self.bias is None:
            return function, [self.weight_ih, self.weight_hh], False
        # Keras has one bias; the kernel's second (recurrent) bias is zero.
        return function, [self.weight_ih, self.weight_hh, self.bias, torch.zeros_like(self.bias)], True

    def _step(
        self, projected: torch.Tensor, states: list[torch.Tensor], recurrent_mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        h = states[0] if recurrent_mask is None else states[0] * recurrent_mask
        output = self.activation(projected + F.linear(h, self.weight_hh))  # (B, units)
        return output, [output]
