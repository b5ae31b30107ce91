"""``MaxPooling3D``: 3-D max pooling over the spatial axes of volumes."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling


class MaxPooling3D(BasePooling):
    """Max pooling over depth, height and width, downsampling volumes by their largest values.

    Use it between ``Conv3D`` blocks to halve the resolution of volumes or clips
    (``pool_size=2``, strides defaulting to the pool size). With ``channels_last``
    inputs torch's kernel runs in channels_last_3d memory, with no layout copies.

    Args:
        pool_size: int or tuple of 3 ints, the window depth, height and width (default 2).
        strides: int or tuple of 3 ints; default ``None`` means ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'``; ``'same'`` pads with ``-inf``,
            so padding never wins a window.
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
        >>> from fitorch.layers.pooling import MaxPooling3D
        >>> MaxPooling3D()(torch.ones(2, 8, 8, 6, 3)).shape
        torch.Size([2, 4, 4, 3, 3])
    """

    rank = 3
    pool_mode = "max"
