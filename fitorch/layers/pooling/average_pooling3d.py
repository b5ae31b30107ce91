"""``AveragePooling3D``: 3-D average pooling over the spatial axes of volumes."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling


class AveragePooling3D(BasePooling):
    """Average pooling over depth, height and width, downsampling volumes by window means.

    Use it to reduce the resolution of volumes or clips smoothly (``pool_size=2``,
    strides defaulting to the pool size).

    Args:
        pool_size: int or tuple of 3 ints, the window depth, height and width (default 2).
        strides: int or tuple of 3 ints; default ``None`` means ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'``; at the borders it matches
            Keras' torch backend (see ``base_pooling``): symmetric padding is not
            counted in the mean, asymmetric padding repeats the edge values.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.

    Input shape:
        ``(batch, depth, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, depth, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, pooled_depth, pooled_height, pooled_width, channels)`` or
        ``(batch, channels, pooled_depth, pooled_height, pooled_width)``, where
        ``pooled = ceil(size / stride)`` for ``'same'`` and
        ``floor((size - pool_size) / stride) + 1`` for ``'valid'``.

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AveragePooling3D
        >>> AveragePooling3D(3, strides=2, padding="same")(torch.ones(2, 7, 8, 9, 3)).shape
        torch.Size([2, 4, 4, 5, 3])
    """

    rank = 3
    pool_mode = "average"
