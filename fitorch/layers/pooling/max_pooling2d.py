"""``MaxPooling2D``: 2-D max pooling over the spatial axes of images."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling


class MaxPooling2D(BasePooling):
    """Max pooling over height and width, downsampling images by their largest values.

    Use it between ``Conv2D`` blocks to halve the resolution (``pool_size=2``,
    strides defaulting to the pool size). With ``channels_last`` inputs torch's
    kernel runs in channels_last memory, with no layout copies.

    Args:
        pool_size: int or tuple of 2 ints, the window height and width (default 2).
        strides: int or tuple of 2 ints; default ``None`` means ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'``; ``'same'`` pads with ``-inf``,
            so padding never wins a window.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.

    Input shape:
        ``(batch, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, pooled_height, pooled_width, channels)`` or
        ``(batch, channels, pooled_height, pooled_width)``, where
        ``pooled = ceil(size / stride)`` for ``'same'`` and
        ``floor((size - pool_size) / stride) + 1`` for ``'valid'``.

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import MaxPooling2D
        >>> MaxPooling2D((2, 2))(torch.ones(2, 32, 32, 3)).shape
        torch.Size([2, 16, 16, 3])
    """

    rank = 2
    pool_mode = "max"
