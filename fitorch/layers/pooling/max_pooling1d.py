"""``MaxPooling1D``: 1-D max pooling over the steps of a sequence."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling


class MaxPooling1D(BasePooling):
    """Max pooling over the time axis, downsampling a sequence by its largest values.

    Use it after a ``Conv1D`` to shorten sequences while keeping the strongest
    responses. It runs torch's fused max-pooling kernel with no layout copies.

    Args:
        pool_size: int or tuple of 1 int, the window length (default 2).
        strides: int or tuple of 1 int; default ``None`` means ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'``; ``'same'`` pads with ``-inf``,
            so padding never wins a window.
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
        >>> from fitorch.layers.pooling import MaxPooling1D
        >>> MaxPooling1D(2)(torch.arange(6.0).reshape(1, 6, 1)).flatten().tolist()
        [1.0, 3.0, 5.0]
    """

    rank = 1
    pool_mode = "max"
