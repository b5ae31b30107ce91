"""``Maximum``: the elementwise maximum of a list of tensors."""

from __future__ import annotations

import torch

from fitorch.layers.merging.base_elementwise_merge import SKIPS_MASKED, ElementwiseMerge, merge_skipping_masked
from fitorch.layers.merging.base_merge import merge_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(masking=SKIPS_MASKED, **merge_docs())
class Maximum(ElementwiseMerge):
    """Takes the elementwise maximum of a list of tensors.

    Use it to keep the strongest response of parallel branches (maxout-style).
    {masking}

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.merging import Maximum
        >>> Maximum()([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])])
        tensor([[3., 5.]])
    """

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        return merge_skipping_masked(torch.maximum, inputs)
