"""``Cropping2D``: removes rows and columns at the borders of images."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_border import border_docs
from fitorch.layers.reshaping.base_cropping import BaseCropping
from fitorch.utils.docstrings import fill_doc


@fill_doc(**border_docs(2, "cropping", "``((0, 0), (0, 0))``"))
class Cropping2D(BaseCropping):
    """Crops the height and width of images.

    Use it to trim borders, e.g. to match the skip connection of a U-Net to the
    smaller decoder map. The result is a view of the input (no copy).

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import Cropping2D
        >>> Cropping2D(((2, 2), (4, 4)))(torch.zeros(2, 28, 28, 3)).shape
        torch.Size([2, 24, 20, 3])
        >>> Cropping2D(1).cropping
        ((1, 1), (1, 1))
    """

    rank = 2

    def __init__(self, cropping: Any = ((0, 0), (0, 0)), data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(cropping, data_format=data_format, **kwargs)
