"""``Minimum``: the elementwise minimum of a list of tensors."""

from __future__ import annotations

import torch

from fitorch.layers.merging.base_elementwise_merge import SKIPS_MASKED, ElementwiseMerge, merge_skipping_masked
from fitorch.layers.merging.base_merge import merge_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(masking=SKIPS_MASKED, **merge_docs())
class Minimum(ElementwiseMerge):
    """Takes the elementwise minimum of a list of tensors.

    Use it for a lower envelope, e.g. the most cautious of several predictions.
    {masking}

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.merging import Minimum
        >>> inputs = [torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]]), torch.tensor([[4.0, 0.5]])]
        >>> Minimum()(inputs)
        tensor([[1.0000, 0.5000]])
    """

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        return merge_skipping_masked(torch.minimum, inputs)
