"""``GlobalMaxPooling2D``: the maximum over the spatial axes of images."""

from __future__ import annotations

import torch

from fitorch.layers.pooling.base_global_pooling import BaseGlobalPooling, global_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**global_pooling_docs(rank=2))
class GlobalMaxPooling2D(BaseGlobalPooling):
    """Takes the maximum over height and width: one value per channel and image.

    Use it at the end of a convolutional network when the presence of a feature
    anywhere in the image matters more than its average strength.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import GlobalMaxPooling2D
        >>> GlobalMaxPooling2D(data_format="channels_first")(torch.ones(2, 16, 7, 7)).shape
        torch.Size([2, 16])
    """

    rank = 2
    reduce = torch.amax
