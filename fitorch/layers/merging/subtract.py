"""``Subtract``: the elementwise difference of two tensors."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.merging.base_elementwise_merge import ElementwiseMerge
from fitorch.layers.merging.base_merge import Shape, format_shapes


class Subtract(ElementwiseMerge):
    """Subtracts the second of two tensors from the first, ``inputs[0] - inputs[1]``.

    Use it to compare two branches, e.g. the difference of two embeddings.
    Shapes must match or broadcast, as described in ``Merge``.

    Call arguments:
        inputs: a list of exactly 2 tensors.

    Input shape:
        A list of 2 shapes ``(batch, ...)`` that broadcast together.

    Output shape:
        The broadcast shape.

    Example:
        >>> import torch
        >>> from fitorch.layers.merging import Subtract
        >>> Subtract()([torch.full((2, 3), 5.0), torch.ones(2, 3)])
        tensor([[4., 4., 4.],
                [4., 4., 4.]])
    """

    def compute_output_shape(self, input_shape: Any) -> Shape:
        shapes = self._input_shapes(input_shape)
        if len(shapes) != 2:
            raise ValueError(
                f"Subtract {self.name!r}: expected exactly 2 inputs; received {len(shapes)} inputs with shapes "
                f"{format_shapes(shapes)}."
            )
        return super().compute_output_shape(input_shape)

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        if len(inputs) != 2:
            raise ValueError(
                f"Subtract {self.name!r}: expected exactly 2 inputs; received {len(inputs)} inputs with shapes "
                f"{format_shapes([tuple(x.shape) for x in inputs])}."
            )
        return inputs[0] - inputs[1]
