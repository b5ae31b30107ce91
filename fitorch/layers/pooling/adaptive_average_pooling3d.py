"""``AdaptiveAveragePooling3D``: average pooling of volumes to a fixed output size."""

from __future__ import annotations

import torch.nn.functional as F

from fitorch.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling, adaptive_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**adaptive_pooling_docs(rank=3, pool_mode="average"))
class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Averages adaptively sized windows so that the output has a fixed spatial size.

    {use}

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AdaptiveAveragePooling3D
        >>> layer = AdaptiveAveragePooling3D((1, 2, 3), data_format="channels_first")
        >>> layer(torch.rand(2, 3, 8, 6, 5)).shape
        torch.Size([2, 3, 1, 2, 3])
    """

    rank = 3
    pool_function = F.adaptive_avg_pool3d
