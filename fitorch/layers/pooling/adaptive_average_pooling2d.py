"""``AdaptiveAveragePooling2D``: average pooling of images to a fixed output size."""

from __future__ import annotations

import torch.nn.functional as F

from fitorch.layers.pooling.base_adaptive_pooling import BaseAdaptivePooling, adaptive_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**adaptive_pooling_docs(rank=2, pool_mode="average"))
class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Averages adaptively sized windows so that the output has a fixed spatial size.

    {use}

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AdaptiveAveragePooling2D
        >>> means = AdaptiveAveragePooling2D(2)(torch.arange(16.0).reshape(1, 4, 4, 1))
        >>> means[0, :, :, 0].tolist()  # the means of the four 2 x 2 blocks
        [[2.5, 4.5], [10.5, 12.5]]
    """

    rank = 2
    pool_function = F.adaptive_avg_pool2d
