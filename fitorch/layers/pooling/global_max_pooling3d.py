"""``GlobalMaxPooling3D``: the maximum over the spatial axes of volumes."""

from __future__ import annotations

import torch

from fitorch.layers.pooling.base_global_pooling import BaseGlobalPooling, global_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**global_pooling_docs(rank=3))
class GlobalMaxPooling3D(BaseGlobalPooling):
    """Takes the maximum over depth, height and width: one value per channel and volume.

    Use it at the end of a 3-D convolutional network when the presence of a feature
    anywhere in the volume matters more than its average strength.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import GlobalMaxPooling3D
        >>> GlobalMaxPooling3D(data_format="channels_first")(torch.ones(2, 8, 4, 5, 6)).shape
        torch.Size([2, 8])
    """

    rank = 3
    reduce = torch.amax
