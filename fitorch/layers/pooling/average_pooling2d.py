"""``AveragePooling2D``: 2-D average pooling over the spatial axes of images."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling, pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**pooling_docs(rank=2, pool_mode="average"))
class AveragePooling2D(BasePooling):
    """Average pooling over height and width, downsampling images by window means.

    Use it to reduce resolution smoothly (``pool_size=2``, strides defaulting to the
    pool size). With ``channels_last`` inputs torch's kernel runs in channels_last
    memory, with no layout copies.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AveragePooling2D
        >>> AveragePooling2D(2, strides=1, padding="same")(torch.ones(2, 5, 5, 3)).shape
        torch.Size([2, 5, 5, 3])
    """

    rank = 2
    pool_mode = "average"
