"""``ZeroPadding1D``: adds zeros at the start and end of sequences."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
    """Pads the time axis of sequences with zeros.

    Use it to lengthen sequences before a ``'valid'`` convolution, or to pad only the
    start (``padding=(k - 1, 0)``) for a hand-made causal convolution.

    Args:
        padding: int (both ends) or tuple of 2 non-negative ints ``(start, end)``, the
            zeros added (default 1).
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.

    Input shape:
        ``(batch, steps, features)`` for ``channels_last``, or
        ``(batch, features, steps)`` for ``channels_first``.

    Output shape:
        ``(batch, steps + start + end, features)`` or ``(batch, features, steps + start + end)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import ZeroPadding1D
        >>> ZeroPadding1D((1, 2))(torch.ones(1, 2, 1)).flatten().tolist()
        [0.0, 1.0, 1.0, 0.0, 0.0]
    """

    rank = 1

    def __init__(self, padding: int | tuple[int, int] = 1, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(padding, data_format=data_format, **kwargs)
