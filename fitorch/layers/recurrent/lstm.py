"""``LSTM``: Long Short-Term Memory (Hochreiter & Schmidhuber, 1997), on torch's fused kernel."""

from __future__ import annotations

import torch

from fitorch.layers.recurrent.base_rnn import SIGMOID, TANH, FusedKernel
from fitorch.layers.recurrent.base_vector_rnn import LSTM_ARGUMENTS, BaseVectorRNN, LSTMRecurrence, layer_doc_sections
from fitorch.utils.docstrings import fill_doc


@fill_doc(
    **layer_doc_sections(
        LSTM_ARGUMENTS, "optional list ``[h, c]`` of ``(batch, units)`` tensors.", "``(output, h, c)``"
    )
)
class LSTM(LSTMRecurrence, BaseVectorRNN):
    """Long Short-Term Memory layer: gated memory cells for long-range dependencies.

    Use it for sequences (text, audio, time series) where a plain ``SimpleRNN``
    forgets too fast. With the default activations and no ``recurrent_dropout`` it
    runs torch's fused LSTM kernel (cuDNN on GPU), also for masks that only pad the
    end of each sequence (packed sequences); otherwise it runs a per-step loop with
    the same math as Keras.

    {api}

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

    def _fused_kernel(self) -> FusedKernel | None:
        if self.activation not in TANH or self.recurrent_activation not in SIGMOID:
            return None
        if self.bias is None:
            return torch.lstm, [self.weight_ih, self.weight_hh], False
        # Keras has one bias; the kernel's second (recurrent) bias is zero.
        return torch.lstm, [self.weight_ih, self.weight_hh, self.bias, torch.zeros_like(self.bias)], True
