"""``Conv2DTranspose``: 2-D transposed convolution, Keras' layer on torch's ``F.conv_transpose2d``."""

from __future__ import annotations

from fitorch.layers.convolutional.base_conv_transpose import BaseConvTranspose, conv_transpose_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**conv_transpose_docs(2))
class Conv2DTranspose(BaseConvTranspose):
    """2-D transposed convolution (sometimes called deconvolution); its weights load into ``nn.ConvTranspose2d``.

    Use it to upsample feature maps with learned kernels: in decoders, U-Nets and
    GAN generators, ``Conv2DTranspose(filters, 4, strides=2, padding='same')`` doubles
    the height and width. Output sizes match Keras for every stride, kernel and
    ``output_padding``, including the asymmetric ``'same'`` case (``strides > 1`` with an
    odd kernel) that torch's own ``padding=`` cannot express. With the default
    ``channels_last`` layout the input is permuted to a channels_last-memory NCHW view.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import Conv2DTranspose
        >>> layer = Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu")
        >>> layer(torch.ones(2, 7, 8, 16)).shape
        torch.Size([2, 14, 16, 8])
        >>> Conv2DTranspose(8, 3, strides=2, padding="same", output_padding=0)(torch.ones(2, 7, 8, 16)).shape
        torch.Size([2, 13, 15, 8])
        >>> layer.weight.shape
        torch.Size([16, 8, 3, 3])
    """

    rank = 2
