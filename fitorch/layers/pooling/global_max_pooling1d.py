"""``GlobalMaxPooling1D``: the maximum over the steps of a sequence."""

from __future__ import annotations

import torch

from fitorch.layers.pooling.base_global_pooling import BaseGlobalPooling, global_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**global_pooling_docs(rank=1))
class GlobalMaxPooling1D(BaseGlobalPooling):
    """Takes the maximum over the time axis: one value per channel and sequence.

    Use it to turn a sequence of features into a fixed-size vector that keeps the
    strongest response of each channel (e.g. text CNNs).

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import GlobalMaxPooling1D
        >>> GlobalMaxPooling1D()(torch.tensor([[[1.0], [5.0], [2.0]]])).tolist()
        [[5.0]]
    """

    rank = 1
    reduce = torch.amax
