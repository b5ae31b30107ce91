"""``Maximum``: the elementwise maximum of a list of tensors."""

from __future__ import annotations

import torch

from fitorch.layers.merging.base_elementwise_merge import ElementwiseMerge, merge_skipping_masked


class Maximum(ElementwiseMerge):
    """Takes the elementwise maximum of a list of tensors.

    Shapes must match or broadcast, as described in ``Merge``. With Keras masks,
    masked-out entries of an input never win: the other inputs' values are used
    there, as in Keras.

    Call arguments:
        inputs: a list of at least 2 tensors.

    Input shape:
        A list of shapes ``(batch, ...)`` that broadcast together.

    Output shape:
        The broadcast shape.

    Example:
        >>> import torch
        >>> from fitorch.layers.merging import Maximum
        >>> Maximum()([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])])
        tensor([[3., 5.]])
    """

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        return merge_skipping_masked(torch.maximum, inputs)
