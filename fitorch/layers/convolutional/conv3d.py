"""``Conv3D``: 3-D convolution over volumes, Keras' layer on torch's ``F.conv3d``."""

from __future__ import annotations

from fitorch.layers.convolutional.base_conv import BaseConv, conv_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**conv_docs(3))
class Conv3D(BaseConv):
    """3-D convolution layer over volumes (or video); its weights load into ``nn.Conv3d`` directly.

    Use it for volumetric data (medical scans, point grids) or short clips, where the
    kernel slides over depth, height and width. With the default ``channels_last``
    layout the input is permuted to a ``torch.channels_last_3d`` NCDHW view and the
    result back again, with no copies of the activations.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import Conv3D
        >>> layer = Conv3D(8, 3, strides=2, padding="same")
        >>> layer(torch.ones(2, 9, 8, 7, 3)).shape
        torch.Size([2, 5, 4, 4, 8])
        >>> layer.weight.shape
        torch.Size([8, 3, 3, 3, 3])
    """

    rank = 3
