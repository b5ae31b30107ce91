"""``GlobalMaxPooling1D``: the maximum over the steps of a sequence."""

from __future__ import annotations

import torch

from fitorch.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Takes the maximum over the time axis: one value per channel and sequence.

    Use it to turn a sequence of features into a fixed-size vector that keeps the
    strongest response of each channel (e.g. text CNNs).

    Args:
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        keepdims: whether to keep the time axis, with size 1 (default ``False``).

    Input shape:
        ``(batch, steps, channels)`` for ``channels_last``, or
        ``(batch, channels, steps)`` for ``channels_first``.

    Output shape:
        ``(batch, channels)``; with ``keepdims=True``, ``(batch, 1, channels)`` or
        ``(batch, channels, 1)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import GlobalMaxPooling1D
        >>> GlobalMaxPooling1D()(torch.tensor([[[1.0], [5.0], [2.0]]])).tolist()
        [[5.0]]
    """

    rank = 1

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.amax(inputs, dim=self.spatial_axes, keepdim=self.keepdims)
