"""``SeparableConv2D``: 2-D depthwise-separable convolution (depthwise, then pointwise)."""

from __future__ import annotations

from fitorch.layers.convolutional.base_separable_conv import BaseSeparableConv, separable_conv_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**separable_conv_docs(2))
class SeparableConv2D(BaseSeparableConv):
    """2-D separable convolution: a depthwise convolution, then a pointwise one mixing channels.

    Use it instead of ``Conv2D`` in efficient image models (Xception, MobileNet): it
    needs ``kh * kw * channels * depth_multiplier + channels * depth_multiplier *
    filters`` weights instead of ``kh * kw * channels * filters``. Both steps run
    torch's fused kernels on a channels_last-memory view, without copies; the
    ``pointwise_weight`` is the weight of ``nn.Conv2d(channels * depth_multiplier, filters, 1)``.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import SeparableConv2D
        >>> layer = SeparableConv2D(32, 3, strides=2, padding="same", activation="relu")
        >>> layer(torch.ones(2, 16, 16, 8)).shape
        torch.Size([2, 8, 8, 32])
        >>> layer.count_params()  # a Conv2D(32, 3) would have 3 * 3 * 8 * 32 + 32 = 2336
        360
    """

    rank = 2
