"""``DepthwiseConv2D``: 2-D depthwise convolution, each channel filtered on its own."""

from __future__ import annotations

from fitorch.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv2D(BaseDepthwiseConv):
    """2-D depthwise convolution: ``depth_multiplier`` kernels per channel, with no channel mixing.

    Use it in efficient image models (MobileNet, EfficientNet blocks): a depthwise
    ``3 x 3`` followed by a pointwise ``Conv2D(filters, 1)`` costs a fraction of a full
    ``3 x 3`` convolution. It runs as torch's grouped convolution (``groups =
    channels``) on a channels_last-memory view of ``channels_last`` inputs, without
    copies.

    Args:
        kernel_size: int or tuple of 2 ints, the height and width of the window.
        strides: int or tuple of 2 ints (default 1).
        padding: ``'valid'`` (default) or ``'same'``.
        depth_multiplier: positive int, the kernels per input channel (default 1).
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of 2 ints (default 1).
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        depthwise_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Input shape:
        ``(batch, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, new_height, new_width, channels * depth_multiplier)`` or
        ``(batch, channels * depth_multiplier, new_height, new_width)``, where
        ``new = ceil(size / stride)`` for ``'same'`` and
        ``floor((size - (kernel - 1) * dilation - 1) / stride) + 1`` for ``'valid'``.

    Weights:
        ``weight`` of shape ``(channels, depth_multiplier, kernel_h, kernel_w)`` (Keras'
        ``kernel`` is ``(kernel_h, kernel_w, channels, depth_multiplier)``; with
        ``depth_multiplier=1`` it is also ``nn.Conv2d(channels, channels, kernel,
        groups=channels)``'s weight) and ``bias`` of shape ``(channels * depth_multiplier,)``.

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
