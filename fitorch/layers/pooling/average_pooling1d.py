"""``AveragePooling1D``: 1-D average pooling over the steps of a sequence."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling, pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**pooling_docs(rank=1, pool_mode="average"))
class AveragePooling1D(BasePooling):
    """Average pooling over the time axis, downsampling a sequence by window means.

    Use it to shorten sequences smoothly. It runs torch's fused average-pooling
    kernel with no layout copies.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import AveragePooling1D
        >>> AveragePooling1D(2)(torch.arange(6.0).reshape(1, 6, 1)).flatten().tolist()
        [0.5, 2.5, 4.5]
        >>> same = AveragePooling1D(3, strides=2, padding="same")  # asymmetric: [5, 6] padded to [5, 6, 6]
        >>> [round(v, 3) for v in same(torch.arange(1.0, 7.0).reshape(1, 6, 1)).flatten().tolist()]
        [2.0, 4.0, 5.667]
    """

    rank = 1
    pool_mode = "average"
