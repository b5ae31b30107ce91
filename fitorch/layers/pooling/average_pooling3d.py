"""``AveragePooling3D``: 3-D average pooling over the spatial axes of volumes."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling, pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**pooling_docs(rank=3, pool_mode="average"))
class AveragePooling3D(BasePooling):
    """Average pooling over depth, height and width, downsampling volumes by window means.

    Use it to reduce the resolution of volumes or clips smoothly (``pool_size=2``,
    strides defaulting to the pool size).

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AveragePooling3D
        >>> AveragePooling3D(3, strides=2, padding="same")(torch.ones(2, 7, 8, 9, 3)).shape
        torch.Size([2, 4, 4, 5, 3])
    """

    rank = 3
    pool_mode = "average"
