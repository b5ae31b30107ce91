"""``Average``: the elementwise mean of a list of tensors."""

from __future__ import annotations

import torch

from fitorch.layers.merging.base_elementwise_merge import ElementwiseMerge


class Average(ElementwiseMerge):
    """Averages a list of tensors elementwise, e.g. the predictions of an ensemble.

    Shapes must match or broadcast, as described in ``Merge``.

    Call arguments:
        inputs: a list of at least 2 tensors.

    Input shape:
        A list of shapes ``(batch, ...)`` that broadcast together.

    Output shape:
        The broadcast shape.

    Example:
        >>> import torch
        >>> from fitorch.layers.merging import Average
        >>> Average()([torch.zeros(1, 2), torch.ones(1, 2), torch.full((1, 2), 5.0)])
        tensor([[2., 2.]])
    """

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        output = inputs[0]
        for x in inputs[1:]:
            output = output + x
        return output / len(inputs)
