"""``GlobalAveragePooling2D``: the mean over the spatial axes of images."""

from __future__ import annotations

import torch

from fitorch.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Averages over height and width: one value per channel and image.

    Use it at the end of a convolutional network instead of ``Flatten``: it makes the
    head independent of the image size and has no weights.

    Args:
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        keepdims: whether to keep the spatial axes, with size 1 (default ``False``).

    Input shape:
        ``(batch, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, channels)``; with ``keepdims=True``, ``(batch, 1, 1, channels)`` or
        ``(batch, channels, 1, 1)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import GlobalAveragePooling2D
        >>> GlobalAveragePooling2D()(torch.ones(2, 7, 7, 16)).shape
        torch.Size([2, 16])
        >>> GlobalAveragePooling2D(keepdims=True)(torch.ones(2, 7, 7, 16)).shape
        torch.Size([2, 1, 1, 16])
    """

    rank = 2

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.mean(inputs, dim=self.spatial_axes, keepdim=self.keepdims)
