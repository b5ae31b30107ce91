"""``AdaptiveAveragePooling2D``: average pooling of images to a fixed output size."""

from __future__ import annotations

import torch.nn.functional as F

from fitorch.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Averages adaptively sized windows so that the output has a fixed spatial size.

    Use it where images of varying size must reach a head of fixed size, keeping
    a smooth summary of each region (``GlobalAveragePooling2D`` is the
    ``output_size=1`` case). Output position ``i`` of an axis of length ``L`` pooled to
    ``n`` covers input positions ``floor(i * L / n)`` up to ``ceil((i + 1) * L / n)``,
    as in Keras and ``torch.nn.AdaptiveAvgPool2d``.

    Args:
        output_size: int or tuple of 2 ints ``(height, width)``, the target
            spatial size; an int is used for every spatial axis.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.

    Input shape:
        ``(batch, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, output_height, output_width, channels)`` for ``channels_last``, or
        ``(batch, channels, output_height, output_width)`` for ``channels_first``.

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AdaptiveAveragePooling2D
        >>> AdaptiveAveragePooling2D((3, 2))(torch.rand(2, 9, 7, 3)).shape
        torch.Size([2, 3, 2, 3])
    """

    rank = 2
    pool_function = F.adaptive_avg_pool2d
