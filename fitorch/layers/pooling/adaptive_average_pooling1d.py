"""``AdaptiveAveragePooling1D``: average pooling of sequences to a fixed output size."""

from __future__ import annotations

import torch.nn.functional as F

from fitorch.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling, adaptive_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**adaptive_pooling_docs(rank=1, pool_mode="average"))
class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Averages adaptively sized windows so that the output has a fixed spatial size.

    {use}

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AdaptiveAveragePooling1D
        >>> x = torch.arange(6.0).reshape(1, 6, 1)  # bins [0, 1, 2] and [3, 4, 5]
        >>> AdaptiveAveragePooling1D(2)(x).flatten().tolist()
        [1.0, 4.0]
        >>> AdaptiveAveragePooling1D(4)(torch.rand(2, 10, 3)).shape
        torch.Size([2, 4, 3])
    """

    rank = 1
    pool_function = F.adaptive_avg_pool1d
