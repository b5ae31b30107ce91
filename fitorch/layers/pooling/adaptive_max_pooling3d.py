"""``AdaptiveMaxPooling3D``: max pooling of volumes to a fixed output size."""

from __future__ import annotations

import torch.nn.functional as F

from fitorch.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Takes the maximum of adaptively sized windows so that the output has a fixed spatial size.

    Use it where volumes of varying size must reach a head of fixed size, keeping
    the strongest response in each region (``GlobalMaxPooling3D`` is the
    ``output_size=1`` case). Output position ``i`` of an axis of length ``L`` pooled to
    ``n`` covers input positions ``floor(i * L / n)`` up to ``ceil((i + 1) * L / n)``,
    as in Keras and ``torch.nn.AdaptiveMaxPool3d``.

    Args:
        output_size: int or tuple of 3 ints ``(depth, height, width)``, the target
            spatial size; an int is used for every spatial axis.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.

    Input shape:
        ``(batch, depth, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, depth, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, output_depth, output_height, output_width, channels)`` for ``channels_last``, or
        ``(batch, channels, output_depth, output_height, output_width)`` for ``channels_first``.

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AdaptiveMaxPooling3D
        >>> AdaptiveMaxPooling3D(2)(torch.rand(2, 8, 6, 5, 3)).shape
        torch.Size([2, 2, 2, 2, 3])
    """

    rank = 3
    pool_function = F.adaptive_max_pool3d
