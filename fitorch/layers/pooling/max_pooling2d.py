"""``MaxPooling2D``: 2-D max pooling over the spatial axes of images."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling, pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**pooling_docs(rank=2, pool_mode="max"))
class MaxPooling2D(BasePooling):
    """Max pooling over height and width, downsampling images by their largest values.

    Use it between ``Conv2D`` blocks to halve the resolution (``pool_size=2``,
    strides defaulting to the pool size). With ``channels_last`` inputs torch's
    kernel runs in channels_last memory, with no layout copies.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import MaxPooling2D
        >>> MaxPooling2D((2, 2))(torch.ones(2, 32, 32, 3)).shape
        torch.Size([2, 16, 16, 3])
    """

    rank = 2
    pool_mode = "max"
