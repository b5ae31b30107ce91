"""``ZeroPadding3D``: adds zeros around volumes."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    """Pads the depth, height and width of volumes with zeros.

    Use it to control the borders of 3-D convolutions explicitly.

    Args:
        padding: int (every side), tuple of 3 ints (symmetric per axis), or tuple of 3
            ``(before, after)`` pairs (default ``((1, 1), (1, 1), (1, 1))``).
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.

    Input shape:
        ``(batch, depth, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, depth, height, width)`` for ``channels_first``.

    Output shape:
        The input shape with each spatial axis lengthened by its two paddings.

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import ZeroPadding3D
        >>> ZeroPadding3D((1, 2, (0, 3)))(torch.ones(2, 4, 4, 4, 3)).shape
        torch.Size([2, 6, 8, 7, 3])
    """

    rank = 3

    def __init__(
        self, padding: Any = ((1, 1), (1, 1), (1, 1)), data_format: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(padding, data_format=data_format, **kwargs)
