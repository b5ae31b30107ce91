"""``ConvLSTM3D``: an LSTM whose input and recurrent transformations are 3-D convolutions."""

from __future__ import annotations

from fitorch.layers.recurrent.base_conv_lstm import BaseConvLSTM, conv_lstm_doc_sections
from fitorch.utils.docstrings import fill_doc


@fill_doc(**conv_lstm_doc_sections(rank=3))
class ConvLSTM3D(BaseConvLSTM):
    """3-D convolutional LSTM: every gate is a convolution of the volume and of the previous state.

    Use it for sequences of volumes (3-D scans over time, volumetric simulations)
    where the state should keep a spatial layout.

    {api}

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import ConvLSTM3D
        >>> layer = ConvLSTM3D(2, (1, 3, 3), padding="same", data_format="channels_first")
        >>> layer(torch.ones(2, 5, 3, 4, 6, 6)).shape  # (batch, filters, depth, rows, cols)
        torch.Size([2, 2, 4, 6, 6])
        >>> [w.shape for w in layer.get_weights()]  # Keras' (kd, kh, kw, in, 4 * filters)
        [(1, 3, 3, 3, 8), (1, 3, 3, 2, 8), (8,)]
    """

    rank = 3
