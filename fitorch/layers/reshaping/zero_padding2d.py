"""``ZeroPadding2D``: adds rows and columns of zeros around images."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding2D(BaseZeroPadding):
    """Pads the height and width of images with zeros.

    Use it to control border handling explicitly, e.g. the asymmetric
    ``((0, 1), (0, 1))`` padding before a strided ``'valid'`` convolution in
    ResNet/MobileNet ports.

    Args:
        padding: int (every side), tuple of 2 ints ``(symmetric_height,
            symmetric_width)``, or tuple of 2 pairs ``((top, bottom), (left, right))``
            (default ``(1, 1)``).
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.

    Input shape:
        ``(batch, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, height + top + bottom, width + left + right, channels)`` or
        ``(batch, channels, height + top + bottom, width + left + right)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import ZeroPadding2D
        >>> ZeroPadding2D(((0, 1), (2, 3)))(torch.ones(2, 5, 5, 3)).shape
        torch.Size([2, 6, 10, 3])
        >>> ZeroPadding2D(1)(torch.ones(1, 1, 1, 1))[0, :, :, 0].tolist()
        [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """

    rank = 2

    def __init__(self, padding: Any = (1, 1), data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(padding, data_format=data_format, **kwargs)
