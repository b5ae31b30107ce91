"""``SeparableConv1D``: 1-D depthwise-separable convolution (depthwise, then pointwise)."""

from __future__ import annotations

from fitorch.layers.convolutional.base_separable_conv import BaseSeparableConv, separable_conv_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**separable_conv_docs(1))
class SeparableConv1D(BaseSeparableConv):
    """1-D separable convolution: a depthwise convolution, then a pointwise one mixing channels.

    Use it instead of ``Conv1D`` to cut weights and FLOPs on sequences with many
    channels: ``kernel_size * channels * depth_multiplier + channels *
    depth_multiplier * filters`` weights instead of ``kernel_size * channels * filters``.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import SeparableConv1D
        >>> layer = SeparableConv1D(8, 3, depth_multiplier=2)
        >>> layer(torch.ones(2, 10, 4)).shape
        torch.Size([2, 8, 8])
        >>> [tuple(w.shape) for w in layer.get_weights()]
        [(3, 4, 2), (1, 8, 8), (8,)]
    """

    rank = 1
