"""``Conv1DTranspose``: 1-D transposed convolution, Keras' layer on torch's fused kernels."""

from __future__ import annotations

from fitorch.layers.convolutional.base_conv_transpose import BaseConvTranspose, conv_transpose_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**conv_transpose_docs(1))
class Conv1DTranspose(BaseConvTranspose):
    """1-D transposed convolution (sometimes called deconvolution); its weights load into ``nn.ConvTranspose1d``.

    Use it to upsample sequences with learned kernels, e.g. in the decoder of a
    sequence autoencoder: ``strides=2`` with ``padding='same'`` doubles the length.
    With the default ``channels_last`` layout a ``(batch, steps, channels)`` input runs
    as a unit-height image in channels_last memory, without copying it.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import Conv1DTranspose
        >>> layer = Conv1DTranspose(4, 3, strides=2, padding="same")
        >>> layer(torch.ones(2, 10, 6)).shape
        torch.Size([2, 20, 4])
        >>> layer.weight.shape
        torch.Size([6, 4, 3])
    """

    rank = 1
