"""``ZeroPadding3D``: adds zeros around volumes."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_border import border_docs
from fitorch.layers.reshaping.base_zero_padding import BaseZeroPadding
from fitorch.utils.docstrings import fill_doc


@fill_doc(**border_docs(3, "padding", "``((1, 1), (1, 1), (1, 1))``"))
class ZeroPadding3D(BaseZeroPadding):
    """Pads the depth, height and width of volumes with zeros.

    Use it to control the borders of 3-D convolutions explicitly.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import ZeroPadding3D
        >>> ZeroPadding3D((1, 2, (0, 3)))(torch.ones(2, 4, 4, 4, 3)).shape
        torch.Size([2, 6, 8, 7, 3])
    """

    rank = 3

    def __init__(self, padding: Any = ((1, 1), (1, 1), (1, 1)), data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(padding, data_format=data_format, **kwargs)
