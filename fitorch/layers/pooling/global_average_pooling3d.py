"""``GlobalAveragePooling3D``: the mean over the spatial axes of volumes."""

from __future__ import annotations

import torch

from fitorch.layers.pooling.base_global_pooling import BaseGlobalPooling, global_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**global_pooling_docs(rank=3))
class GlobalAveragePooling3D(BaseGlobalPooling):
    """Averages over depth, height and width: one value per channel and volume.

    Use it at the end of a 3-D convolutional network instead of ``Flatten``: the head
    then does not depend on the volume size and has no weights.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import GlobalAveragePooling3D
        >>> GlobalAveragePooling3D()(torch.ones(2, 4, 5, 6, 8)).shape
        torch.Size([2, 8])
        >>> GlobalAveragePooling3D(keepdims=True)(torch.ones(2, 4, 5, 6, 8)).shape
        torch.Size([2, 1, 1, 1, 8])
    """

    rank = 3
    reduce = torch.mean
