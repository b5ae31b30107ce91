"""``AveragePooling1D``: 1-D average pooling over the steps of a sequence."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Average pooling over the time axis, downsampling a sequence by window means.

    Use it to shorten sequences smoothly. It runs torch's fused average-pooling
    kernel with no layout copies.

    Args:
        pool_size: int or tuple of 1 int, the window length (default 2).
        strides: int or tuple of 1 int; default ``None`` means ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'``; at the borders it matches
            Keras' torch backend (see ``base_pooling``): symmetric padding is not
            counted in the mean, asymmetric padding repeats the edge values.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.

    Input shape:
        ``(batch, steps, channels)`` for ``channels_last``, or
        ``(batch, channels, steps)`` for ``channels_first``.

    Output shape:
        ``(batch, pooled_steps, channels)`` or ``(batch, channels, pooled_steps)``, where
        ``pooled = ceil(size / stride)`` for ``'same'`` and
        ``floor((size - pool_size) / stride) + 1`` for ``'valid'``.

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AveragePooling1D
        >>> AveragePooling1D(2)(torch.arange(6.0).reshape(1, 6, 1)).flatten().tolist()
        [0.5, 2.5, 4.5]
        >>> same = AveragePooling1D(3, strides=2, padding="same")  # asymmetric: [5, 6] padded to [5, 6, 6]
        >>> [round(v, 3) for v in same(torch.arange(1.0, 7.0).reshape(1, 6, 1)).flatten().tolist()]
        [2.0, 4.0, 5.667]
    """

    rank = 1
    pool_mode = "average"
