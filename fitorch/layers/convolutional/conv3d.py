"""``Conv3D``: 3-D convolution over volumes, Keras' layer on torch's ``F.conv3d``."""

from __future__ import annotations

from fitorch.layers.convolutional.base_conv import BaseConv


class Conv3D(BaseConv):
    """3-D convolution layer over volumes (or video); its weights load into ``nn.Conv3d`` directly.

    Use it for volumetric data (medical scans, point grids) or short clips, where the
    kernel slides over depth, height and width. With the default ``channels_last``
    layout the input is permuted to a ``torch.channels_last_3d`` NCDHW view and the
    result back again, with no copies of the activations.

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of 3 ints, the depth, height and width of the window.
        strides: int or tuple of 3 ints (default 1).
        padding: ``'valid'`` (default) or ``'same'``; ``'same'`` pads as Keras does,
            asymmetrically (the extra position at the end) when the stride requires it.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of 3 ints (default 1).
        groups: positive int dividing ``filters`` and the input channels (default 1).
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Input shape:
        ``(batch, depth, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, depth, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, new_depth, new_height, new_width, filters)`` for ``channels_last``, or
        ``(batch, filters, new_depth, new_height, new_width)`` for ``channels_first``,
        where ``new = ceil(size / stride)`` for ``'same'`` and
        ``floor((size - (kernel - 1) * dilation - 1) / stride) + 1`` for ``'valid'``.

    Weights:
        ``weight`` of shape ``(filters, channels // groups, kernel_d, kernel_h, kernel_w)``
        (torch layout; Keras' ``kernel`` is ``(kernel_d, kernel_h, kernel_w,
        channels // groups, filters)``) and ``bias`` of shape ``(filters,)``.

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
