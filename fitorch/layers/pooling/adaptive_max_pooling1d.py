"""``AdaptiveMaxPooling1D``: max pooling of sequences to a fixed output size."""

from __future__ import annotations

import torch.nn.functional as F

from fitorch.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Takes the maximum of adaptively sized windows so that the output has a fixed spatial size.

    Use it where sequences of varying size must reach a head of fixed size, keeping
    the strongest response in each region (``GlobalMaxPooling1D`` is the
    ``output_size=1`` case). Output position ``i`` of an axis of length ``L`` pooled to
    ``n`` covers input positions ``floor(i * L / n)`` up to ``ceil((i + 1) * L / n)``,
    as in Keras and ``torch.nn.AdaptiveMaxPool1d``.

    Args:
        output_size: int or tuple of 1 int ``(length)``, the target
            spatial size.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.

    Input shape:
        ``(batch, steps, channels)`` for ``channels_last``, or
        ``(batch, channels, steps)`` for ``channels_first``.

    Output shape:
        ``(batch, output_length, channels)`` for ``channels_last``, or
        ``(batch, channels, output_length)`` for ``channels_first``.

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AdaptiveMaxPooling1D
        >>> AdaptiveMaxPooling1D(4)(torch.rand(2, 10, 3)).shape
        torch.Size([2, 4, 3])
    """

    rank = 1
    pool_function = F.adaptive_max_pool1d
