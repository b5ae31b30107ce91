"""``GlobalAveragePooling2D``: the mean over the spatial axes of images."""

from __future__ import annotations

import torch

from fitorch.layers.pooling.base_global_pooling import BaseGlobalPooling, global_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**global_pooling_docs(rank=2))
class GlobalAveragePooling2D(BaseGlobalPooling):
    """Averages over height and width: one value per channel and image.

    Use it at the end of a convolutional network instead of ``Flatten``: it makes the
    head independent of the image size and has no weights.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import GlobalAveragePooling2D
        >>> GlobalAveragePooling2D()(torch.ones(2, 7, 7, 16)).shape
        torch.Size([2, 16])
        >>> GlobalAveragePooling2D(keepdims=True)(torch.ones(2, 7, 7, 16)).shape
        torch.Size([2, 1, 1, 16])
    """

    rank = 2
    reduce = torch.mean
