"""``Add``: the elementwise sum of a list of tensors."""

from __future__ import annotations

import torch

from fitorch.layers.merging.base_elementwise_merge import ElementwiseMerge
from fitorch.layers.merging.base_merge import merge_docs, sum_inputs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**merge_docs())
class Add(ElementwiseMerge):
    """Adds a list of tensors elementwise, e.g. the two branches of a residual block.

    Shapes must match or broadcast, as described in ``Merge``: every axis after the
    batch axis matches or is 1, and lower-rank inputs gain size-1 axes after the
    batch axis.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.merging import Add
        >>> Add()([torch.ones(2, 3), torch.full((2, 3), 2.0)])
        tensor([[3., 3., 3.],
                [3., 3., 3.]])
        >>> Add()([torch.ones(2, 3, 4), torch.ones(2, 4)]).shape
        torch.Size([2, 3, 4])
    """

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        return sum_inputs(inputs)
