"""``AveragePooling2D``: 2-D average pooling over the spatial axes of images."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling


class AveragePooling2D(BasePooling):
    """Average pooling over height and width, downsampling images by window means.

    Use it to reduce resolution smoothly (``pool_size=2``, strides defaulting to the
    pool size). With ``channels_last`` inputs torch's kernel runs in channels_last
    memory, with no layout copies.

    Args:
        pool_size: int or tuple of 2 ints, the window height and width (default 2).
        strides: int or tuple of 2 ints; default ``None`` means ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'``; at the borders it matches
            Keras' torch backend (see ``base_pooling``): symmetric padding is not
            counted in the mean, asymmetric padding repeats the edge values.
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
        >>> from fitorch.layers.pooling import AveragePooling2D
        >>> AveragePooling2D(2, strides=1, padding="same")(torch.ones(2, 5, 5, 3)).shape
        torch.Size([2, 5, 5, 3])
    """

    rank = 2
    pool_mode = "average"
