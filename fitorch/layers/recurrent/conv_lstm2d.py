"""``ConvLSTM2D``: an LSTM whose input and recurrent transformations are 2-D convolutions."""

from __future__ import annotations

from fitorch.layers.recurrent.base_conv_lstm import BaseConvLSTM, conv_lstm_doc_sections
from fitorch.utils.docstrings import fill_doc


@fill_doc(**conv_lstm_doc_sections(rank=2))
class ConvLSTM2D(BaseConvLSTM):
    """2-D convolutional LSTM: every gate is a convolution of the frame and of the previous state.

    Use it for sequences of images (video frames, radar maps, spatio-temporal grids)
    where the state should keep a spatial layout.

    {api}

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import ConvLSTM2D
        >>> layer = ConvLSTM2D(4, 3, padding="same", return_sequences=True)
        >>> layer(torch.ones(2, 5, 8, 8, 3)).shape
        torch.Size([2, 5, 8, 8, 4])
        >>> layer.weight_ih.shape
        torch.Size([16, 3, 3, 3])
    """

    rank = 2
