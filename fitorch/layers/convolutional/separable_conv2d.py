"""``SeparableConv2D``: 2-D depthwise-separable convolution (depthwise, then pointwise)."""

from __future__ import annotations

from fitorch.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv2D(BaseSeparableConv):
    """2-D separable convolution: a depthwise convolution, then a pointwise one mixing channels.

    Use it instead of ``Conv2D`` in efficient image models (Xception, MobileNet): it
    needs ``kh * kw * channels * depth_multiplier + channels * depth_multiplier *
    filters`` weights instead of ``kh * kw * channels * filters``. Both steps run
    torch's fused kernels on a channels_last-memory view, without copies.

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of 2 ints, the height and width of the depthwise window.
        strides: int or tuple of 2 ints (default 1).
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of 2 ints (default 1).
        depth_multiplier: positive int, the depthwise kernels per input channel (default 1).
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        depthwise_initializer: default ``'glorot_uniform'``.
        pointwise_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Input shape:
        ``(batch, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, new_height, new_width, filters)`` or ``(batch, filters, new_height,
        new_width)``, where ``new = ceil(size / stride)`` for ``'same'`` and
        ``floor((size - (kernel - 1) * dilation - 1) / stride) + 1`` for ``'valid'``.

    Weights:
        ``depthwise_weight`` ``(channels, depth_multiplier, kernel_h, kernel_w)``,
        ``pointwise_weight`` ``(filters, channels * depth_multiplier, 1, 1)`` (the weight
        of ``nn.Conv2d(channels * depth_multiplier, filters, 1)``) and ``bias``
        ``(filters,)``; ``get_weights()`` gives Keras' ``depthwise_kernel``,
        ``pointwise_kernel`` and ``bias``.

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
