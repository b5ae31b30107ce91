"""``GlobalMaxPooling2D``: the maximum over the spatial axes of images."""

from __future__ import annotations

import torch

from fitorch.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling2D(BaseGlobalPooling):
    """Takes the maximum over height and width: one value per channel and image.

    Use it at the end of a convolutional network when the presence of a feature
    anywhere in the image matters more than its average strength.

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
        >>> from fitorch.layers.pooling import GlobalMaxPooling2D
        >>> GlobalMaxPooling2D(data_format="channels_first")(torch.ones(2, 16, 7, 7)).shape
        torch.Size([2, 16])
    """

    rank = 2

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.amax(inputs, dim=self.spatial_axes, keepdim=self.keepdims)
