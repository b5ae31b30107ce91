"""``DepthwiseConv2D``: 2-D depthwise convolution, each channel filtered on its own."""

from __future__ import annotations

from fitorch.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv, depthwise_conv_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**depthwise_conv_docs(2))
class DepthwiseConv2D(BaseDepthwiseConv):
    """2-D depthwise convolution: ``depth_multiplier`` kernels per channel, with no channel mixing.

    Use it in efficient image models (MobileNet, EfficientNet blocks): a depthwise
    ``3 x 3`` followed by a pointwise ``Conv2D(filters, 1)`` costs a fraction of a full
    ``3 x 3`` convolution. It runs as torch's grouped convolution (``groups =
    channels``) on a channels_last-memory view of ``channels_last`` inputs, without
    copies. With ``depth_multiplier=1`` its ``weight`` is also the weight of
    ``nn.Conv2d(channels, channels, kernel, groups=channels)``.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import DepthwiseConv2D
        >>> layer = DepthwiseConv2D(3, strides=2, padding="same", activation="relu")
        >>> layer(torch.ones(2, 9, 9, 16)).shape
        torch.Size([2, 5, 5, 16])
        >>> layer.weight.shape
        torch.Size([16, 1, 3, 3])
    """

    rank = 2
