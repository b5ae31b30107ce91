"""``DepthwiseConv1D``: 1-D depthwise convolution, each channel filtered on its own."""

from __future__ import annotations

from fitorch.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv, depthwise_conv_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**depthwise_conv_docs(1))
class DepthwiseConv1D(BaseDepthwiseConv):
    """1-D depthwise convolution: ``depth_multiplier`` kernels per channel, with no channel mixing.

    Use it for cheap per-channel temporal filtering, or as the first half of a
    separable convolution (``SeparableConv1D`` does both halves). It runs as torch's
    grouped convolution (``groups = channels``); a ``channels_last`` input runs as a
    unit-height image in channels_last memory, without copying it;
    ``weight.reshape(-1, 1, kernel_size)`` is torch's grouped kernel.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import DepthwiseConv1D
        >>> layer = DepthwiseConv1D(3, depth_multiplier=2, padding="same")
        >>> layer(torch.ones(2, 10, 4)).shape
        torch.Size([2, 10, 8])
        >>> layer.weight.shape
        torch.Size([4, 2, 3])
    """

    rank = 1
