"""``ZeroPadding1D``: adds zeros at the start and end of sequences."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_border import border_docs
from fitorch.layers.reshaping.base_zero_padding import BaseZeroPadding
from fitorch.utils.docstrings import fill_doc


@fill_doc(**border_docs(1, "padding", "1"))
class ZeroPadding1D(BaseZeroPadding):
    """Pads the time axis of sequences with zeros.

    Use it to lengthen sequences before a ``'valid'`` convolution, or to pad only the
    start (``padding=(k - 1, 0)``) for a hand-made causal convolution.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import ZeroPadding1D
        >>> ZeroPadding1D((1, 2))(torch.ones(1, 2, 1)).flatten().tolist()
        [0.0, 1.0, 1.0, 0.0, 0.0]
    """

    rank = 1

    def __init__(self, padding: int | tuple[int, int] = 1, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(padding, data_format=data_format, **kwargs)
