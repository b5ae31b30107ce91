"""``ConvLSTM1D``: an LSTM whose input and recurrent transformations are 1-D convolutions."""

from __future__ import annotations

from fitorch.layers.recurrent.base_conv_lstm import BaseConvLSTM, conv_lstm_doc_sections
from fitorch.utils.docstrings import fill_doc


@fill_doc(**conv_lstm_doc_sections(rank=1))
class ConvLSTM1D(BaseConvLSTM):
    """1-D convolutional LSTM: every gate is a convolution of the step's signal and of the previous state.

    Use it for sequences of 1-D signals (a spectrum or a sensor line per time step)
    where the state should keep a spatial layout.

    {api}

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import ConvLSTM1D
        >>> output, h, c = ConvLSTM1D(4, 3, return_state=True)(torch.ones(2, 5, 8, 3))
        >>> output.shape, torch.equal(output, h), c.shape  # 'valid' padding: 8 - 3 + 1 steps
        (torch.Size([2, 6, 4]), True, torch.Size([2, 6, 4]))
    """

    rank = 1
