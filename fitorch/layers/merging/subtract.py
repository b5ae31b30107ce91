"""``Subtract``: the elementwise difference of two tensors."""

from __future__ import annotations

import torch

from fitorch.layers.merging.base_elementwise_merge import ElementwiseMerge
from fitorch.layers.merging.base_merge import merge_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**merge_docs(2))
class Subtract(ElementwiseMerge):
    """Subtracts the second of two tensors from the first, ``inputs[0] - inputs[1]``.

    Use it to compare two branches, e.g. the difference of two embeddings.
    Shapes must match or broadcast, as described in ``Merge``.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.merging import Subtract
        >>> Subtract()([torch.full((2, 3), 5.0), torch.ones(2, 3)])
        tensor([[4., 4., 4.],
                [4., 4., 4.]])
    """

    input_count = 2

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        if len(inputs) != 2:
            self._wrong_input_count([tuple(x.shape) for x in inputs])
        return inputs[0] - inputs[1]
