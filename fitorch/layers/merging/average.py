"""``Average``: the elementwise mean of a list of tensors."""

from __future__ import annotations

import torch

from fitorch.layers.merging.base_elementwise_merge import ElementwiseMerge
from fitorch.layers.merging.base_merge import merge_docs, sum_inputs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**merge_docs())
class Average(ElementwiseMerge):
    """Averages a list of tensors elementwise, e.g. the predictions of an ensemble.

    Shapes must match or broadcast, as described in ``Merge``.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.merging import Average
        >>> Average()([torch.zeros(1, 2), torch.ones(1, 2), torch.full((1, 2), 5.0)])
        tensor([[2., 2.]])
    """

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        return sum_inputs(inputs) / len(inputs)
