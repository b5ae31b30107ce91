"""``SeparableConv1D``: 1-D depthwise-separable convolution (depthwise, then pointwise)."""

from __future__ import annotations

from fitorch.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv1D(BaseSeparableConv):
    """1-D separable convolution: a depthwise convolution, then a pointwise one mixing channels.

    Use it instead of ``Conv1D`` to cut weights and FLOPs on sequences with many
    channels: ``kernel_size * channels * depth_multiplier + channels *
    depth_multiplier * filters`` weights instead of ``kernel_size * channels * filters``.

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of 1 int, the length of the depthwise window.
        strides: int or tuple of 1 int (default 1).
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of 1 int (default 1).
        depth_multiplier: positive int, the depthwise kernels per input channel (default 1).
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        depthwise_initializer: default ``'glorot_uniform'``.
        pointwise_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Input shape:
        ``(batch, steps, channels)`` for ``channels_last``, or
        ``(batch, channels, steps)`` for ``channels_first``.

    Output shape:
        ``(batch, new_steps, filters)`` or ``(batch, filters, new_steps)``, where
        ``new_steps = ceil(steps / stride)`` for ``'same'`` and
        ``floor((steps - (kernel_size - 1) * dilation_rate - 1) / stride) + 1`` for ``'valid'``.

    Weights:
        ``depthwise_weight`` ``(channels, depth_multiplier, kernel_size)``,
        ``pointwise_weight`` ``(filters, channels * depth_multiplier, 1)`` and ``bias``
        ``(filters,)``; ``get_weights()`` gives Keras' ``depthwise_kernel``,
        ``pointwise_kernel`` and ``bias``.

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
