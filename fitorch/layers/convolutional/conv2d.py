"""``Conv2D``: 2-D convolution over images, Keras' layer on torch's ``F.conv2d``."""

from __future__ import annotations

from fitorch.layers.convolutional.base_conv import BaseConv, conv_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**conv_docs(2))
class Conv2D(BaseConv):
    """2-D convolution layer; its weights load into ``nn.Conv2d`` directly.

    Use it for images and other grids: it slides ``filters`` learned kernels over the
    two spatial axes. With the default ``channels_last`` layout the input is permuted
    to a channels_last-memory NCHW view and the result back again, with no copies.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import Conv2D
        >>> layer = Conv2D(8, 3, strides=2, padding="same", activation="relu")
        >>> layer(torch.ones(2, 9, 9, 3)).shape
        torch.Size([2, 5, 5, 8])
        >>> layer.weight.shape
        torch.Size([8, 3, 3, 3])
    """

    rank = 2
