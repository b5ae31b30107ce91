"""``Cropping3D``: removes positions at the borders of volumes."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_border import border_docs
from fitorch.layers.reshaping.base_cropping import BaseCropping
from fitorch.utils.docstrings import fill_doc


@fill_doc(**border_docs(3, "cropping", "``((1, 1), (1, 1), (1, 1))``"))
class Cropping3D(BaseCropping):
    """Crops the depth, height and width of volumes.

    Use it to trim the borders of 3-D feature maps, e.g. in a 3-D U-Net. The result is
    a view of the input (no copy).

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import Cropping3D
        >>> Cropping3D(((1, 1), (2, 0), 0))(torch.zeros(2, 6, 6, 6, 3)).shape
        torch.Size([2, 4, 4, 6, 3])
    """

    rank = 3

    def __init__(self, cropping: Any = ((1, 1), (1, 1), (1, 1)), data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(cropping, data_format=data_format, **kwargs)
