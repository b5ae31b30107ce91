"""``AdaptiveMaxPooling1D``: max pooling of sequences to a fixed output size."""

from __future__ import annotations

import torch.nn.functional as F

from fitorch.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling, adaptive_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**adaptive_pooling_docs(rank=1, pool_mode="max"))
class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Takes the maximum of adaptively sized windows so that the output has a fixed spatial size.

    {use}

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AdaptiveMaxPooling1D
        >>> AdaptiveMaxPooling1D(4)(torch.rand(2, 10, 3)).shape
        torch.Size([2, 4, 3])
    """

    rank = 1
    pool_function = F.adaptive_max_pool1d
