"""``Conv2D``: 2-D convolution over images, Keras' layer on torch's ``F.conv2d``."""

from __future__ import annotations

from fitorch.layers.convolutional.base_conv import BaseConv


class Conv2D(BaseConv):
    """2-D convolution layer; its weights load into ``nn.Conv2d`` directly.

    Use it for images and other grids: it slides ``filters`` learned kernels over the
    two spatial axes. With the default ``channels_last`` layout the input is permuted
    to a channels_last-memory NCHW view and the result back again, with no copies.

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of 2 ints, the height and width of the window.
        strides: int or tuple of 2 ints (default 1).
        padding: ``'valid'`` (default) or ``'same'``; ``'same'`` pads as Keras does,
            asymmetrically (the extra row/column at the end) when the stride requires it.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of 2 ints (default 1).
        groups: positive int dividing ``filters`` and the input channels (default 1).
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Input shape:
        ``(batch, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, new_height, new_width, filters)`` for ``channels_last``, or
        ``(batch, filters, new_height, new_width)`` for ``channels_first``, where
        ``new = ceil(size / stride)`` for ``'same'`` and
        ``floor((size - (kernel - 1) * dilation - 1) / stride) + 1`` for ``'valid'``.

    Weights:
        ``weight`` of shape ``(filters, channels // groups, kernel_h, kernel_w)`` (torch
        layout; Keras' ``kernel`` is ``(kernel_h, kernel_w, channels // groups, filters)``)
        and ``bias`` of shape ``(filters,)``.

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
