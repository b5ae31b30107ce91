"""``SimpleRNN``: the fully connected recurrent layer, ``h_t = activation(x_t W + h_{t-1} U + b)``."""

from __future__ import annotations

import torch

from fitorch.layers.recurrent.base_rnn import RELU, TANH, FusedKernel
from fitorch.layers.recurrent.base_vector_rnn import (
    SIMPLE_RNN_ARGUMENTS,
    BaseVectorRNN,
    SimpleRNNRecurrence,
    layer_doc_sections,
)
from fitorch.utils.docstrings import fill_doc


@fill_doc(
    **layer_doc_sections(
        SIMPLE_RNN_ARGUMENTS, "optional ``(batch, units)`` tensor (or a list holding it).", "``(output, state)``"
    )
)
class SimpleRNN(SimpleRNNRecurrence, BaseVectorRNN):
    """Fully connected RNN whose output is fed back as the next step's state.

    Use it for short sequences or as a baseline; ``LSTM`` and ``GRU`` learn long-range
    dependencies far better. With ``activation='tanh'`` (default) or ``'relu'`` it
    runs torch's fused ``rnn_tanh``/``rnn_relu`` kernel; other activations and
    ``recurrent_dropout`` run a per-step loop.

    {api}

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
