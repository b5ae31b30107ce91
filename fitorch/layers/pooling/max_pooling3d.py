"""``MaxPooling3D``: 3-D max pooling over the spatial axes of volumes."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling, pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**pooling_docs(rank=3, pool_mode="max"))
class MaxPooling3D(BasePooling):
    """Max pooling over depth, height and width, downsampling volumes by their largest values.

    Use it between ``Conv3D`` blocks to halve the resolution of volumes or clips
    (``pool_size=2``, strides defaulting to the pool size). With ``channels_last``
    inputs torch's kernel runs in channels_last_3d memory, with no layout copies.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import MaxPooling3D
        >>> MaxPooling3D()(torch.ones(2, 8, 8, 6, 3)).shape
        torch.Size([2, 4, 4, 3, 3])
    """

    rank = 3
    pool_mode = "max"
