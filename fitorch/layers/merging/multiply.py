"""``Multiply``: the elementwise product of a list of tensors."""

from __future__ import annotations

import torch

from fitorch.layers.merging.base_elementwise_merge import ElementwiseMerge, expanded_mask
from fitorch.layers.merging.base_merge import merge_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**merge_docs())
class Multiply(ElementwiseMerge):
    """Multiplies a list of tensors elementwise, e.g. to gate one branch by another.

    Shapes must match or broadcast, as described in ``Merge``. With Keras masks,
    as in Keras, a masked-out entry counts as 1 in the product, and when every
    input has a mask the positions masked in all inputs are set to 0.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.merging import Multiply
        >>> Multiply()([torch.full((1, 3), 2.0), torch.tensor([[1.0, 2.0, 3.0]])])
        tensor([[2., 4., 6.]])
    """

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        masks = [expanded_mask(x) for x in inputs]
        all_masked = all(m is not None for m in masks)
        output: torch.Tensor | None = None
        output_mask: torch.Tensor | None = None
        for x, mask in zip(inputs, masks, strict=True):
            if mask is not None:
                x = torch.where(mask, x, torch.ones((), dtype=x.dtype, device=x.device))
                if all_masked:
                    output_mask = mask if output_mask is None else output_mask | mask
            output = x if output is None else output * x
        if output_mask is not None:
            output = torch.where(output_mask, output, torch.zeros((), dtype=output.dtype, device=output.device))
        return output
