"""``GlobalAveragePooling3D``: the mean over the spatial axes of volumes."""

from __future__ import annotations

import torch

from fitorch.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling3D(BaseGlobalPooling):
    """Averages over depth, height and width: one value per channel and volume.

    Use it at the end of a 3-D convolutional network instead of ``Flatten``: the head
    then does not depend on the volume size and has no weights.

    Args:
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        keepdims: whether to keep the spatial axes, with size 1 (default ``False``).

    Input shape:
        ``(batch, depth, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, depth, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, channels)``; with ``keepdims=True``, ``(batch, 1, 1, 1, channels)`` or
        ``(batch, channels, 1, 1, 1)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import GlobalAveragePooling3D
        >>> GlobalAveragePooling3D()(torch.ones(2, 4, 5, 6, 8)).shape
        torch.Size([2, 8])
        >>> GlobalAveragePooling3D(keepdims=True)(torch.ones(2, 4, 5, 6, 8)).shape
        torch.Size([2, 1, 1, 1, 8])
    """

    rank = 3

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.mean(inputs, dim=self.spatial_axes, keepdim=self.keepdims)
