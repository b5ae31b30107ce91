"""``AdaptiveMaxPooling2D``: max pooling of images to a fixed output size."""

from __future__ import annotations

import torch.nn.functional as F

from fitorch.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling, adaptive_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**adaptive_pooling_docs(rank=2, pool_mode="max"))
class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Takes the maximum of adaptively sized windows so that the output has a fixed spatial size.

    {use}

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AdaptiveMaxPooling2D
        >>> layer = AdaptiveMaxPooling2D((3, 2), data_format="channels_first")
        >>> layer(torch.rand(2, 3, 9, 7)).shape
        torch.Size([2, 3, 3, 2])
    """

    rank = 2
    pool_function = F.adaptive_max_pool2d
