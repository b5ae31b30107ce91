"""``ZeroPadding2D``: adds rows and columns of zeros around images."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_border import border_docs
from fitorch.layers.reshaping.base_zero_padding import BaseZeroPadding
from fitorch.utils.docstrings import fill_doc


@fill_doc(**border_docs(2, "padding", "``(1, 1)``"))
class ZeroPadding2D(BaseZeroPadding):
    """Pads the height and width of images with zeros.

    Use it to control border handling explicitly, e.g. the asymmetric
    ``((0, 1), (0, 1))`` padding before a strided ``'valid'`` convolution in
    ResNet/MobileNet ports.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import ZeroPadding2D
        >>> ZeroPadding2D(1)(torch.ones(1, 1, 1, 1))[0, :, :, 0].tolist()
        [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
        >>> ZeroPadding2D(((0, 1), (2, 3)))(torch.ones(2, 5, 5, 3)).shape
        torch.Size([2, 6, 10, 3])
    """

    rank = 2

    def __init__(self, padding: Any = (1, 1), data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(padding, data_format=data_format, **kwargs)
