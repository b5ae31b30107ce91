"""``DepthwiseConv1D``: 1-D depthwise convolution, each channel filtered on its own."""

from __future__ import annotations

from fitorch.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv1D(BaseDepthwiseConv):
    """1-D depthwise convolution: ``depth_multiplier`` kernels per channel, with no channel mixing.

    Use it for cheap per-channel temporal filtering, or as the first half of a
    separable convolution (``SeparableConv1D`` does both halves). It runs as torch's
    grouped convolution (``groups = channels``); a ``channels_last`` input runs as a
    unit-height image in channels_last memory, without copying it.

    Args:
        kernel_size: int or tuple of 1 int, the length of the window.
        strides: int or tuple of 1 int (default 1).
        padding: ``'valid'`` (default) or ``'same'``.
        depth_multiplier: positive int, the kernels per input channel (default 1).
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of 1 int (default 1).
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        depthwise_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Input shape:
        ``(batch, steps, channels)`` for ``channels_last``, or
        ``(batch, channels, steps)`` for ``channels_first``.

    Output shape:
        ``(batch, new_steps, channels * depth_multiplier)`` or
        ``(batch, channels * depth_multiplier, new_steps)``, where ``new_steps`` is
        ``ceil(steps / stride)`` for ``'same'`` and
        ``floor((steps - (kernel_size - 1) * dilation_rate - 1) / stride) + 1`` for ``'valid'``.

    Weights:
        ``weight`` of shape ``(channels, depth_multiplier, kernel_size)`` (Keras' ``kernel``
        is ``(kernel_size, channels, depth_multiplier)``; ``weight.reshape(-1, 1, kernel_size)``
        is torch's grouped kernel) and ``bias`` of shape ``(channels * depth_multiplier,)``.

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
