"""``MaxPooling1D``: 1-D max pooling over the steps of a sequence."""

from __future__ import annotations

from fitorch.layers.pooling.base_pooling import BasePooling, pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**pooling_docs(rank=1, pool_mode="max"))
class MaxPooling1D(BasePooling):
    """Max pooling over the time axis, downsampling a sequence by its largest values.

    Use it after a ``Conv1D`` to shorten sequences while keeping the strongest
    responses. It runs torch's fused max-pooling kernel with no layout copies.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import MaxPooling1D
        >>> x = torch.tensor([1.0, 5.0, 2.0, 4.0, 3.0]).reshape(1, 5, 1)
        >>> MaxPooling1D(3, strides=2, padding="same")(x).flatten().tolist()  # padded with -inf at both ends
        [5.0, 5.0, 4.0]
        >>> MaxPooling1D(2)(x).flatten().tolist()
        [5.0, 4.0]
    """

    rank = 1
    pool_mode = "max"
