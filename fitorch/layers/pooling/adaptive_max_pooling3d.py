"""``AdaptiveMaxPooling3D``: max pooling of volumes to a fixed output size."""

from __future__ import annotations

import torch.nn.functional as F

from fitorch.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling, adaptive_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**adaptive_pooling_docs(rank=3, pool_mode="max"))
class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Takes the maximum of adaptively sized windows so that the output has a fixed spatial size.

    {use}

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AdaptiveMaxPooling3D
        >>> AdaptiveMaxPooling3D(2)(torch.rand(2, 8, 6, 5, 3)).shape
        torch.Size([2, 2, 2, 2, 3])
    """

    rank = 3
    pool_function = F.adaptive_max_pool3d
