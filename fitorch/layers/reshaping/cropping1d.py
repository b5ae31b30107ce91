"""``Cropping1D``: removes steps from the start and end of sequences."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_border import border_docs
from fitorch.layers.reshaping.base_cropping import BaseCropping
from fitorch.utils.docstrings import fill_doc


@fill_doc(**border_docs(1, "cropping", "``(1, 1)``", takes_data_format=False))
class Cropping1D(BaseCropping):
    """Crops the time axis (axis 1) of a ``(batch, steps, features)`` input.

    Use it to trim the borders of a sequence, e.g. to align two branches after
    ``'valid'`` convolutions. The result is a view of the input (no copy).

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import Cropping1D
        >>> Cropping1D((1, 2))(torch.arange(6.0).reshape(1, 6, 1)).flatten().tolist()
        [1.0, 2.0, 3.0]
    """

    rank = 1
    takes_data_format = False

    def __init__(self, cropping: int | tuple[int, int] = (1, 1), **kwargs: Any) -> None:
        super().__init__(cropping, data_format="channels_last", **kwargs)
