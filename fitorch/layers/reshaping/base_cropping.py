"""``BaseCropping``: the shared parent of ``Cropping1D``, ``Cropping2D`` and ``Cropping3D``.

Cropping removes ``(before, after)`` positions from each spatial axis with
``Tensor.narrow``, so the result is a view of the input and nothing is copied.
"""

from __future__ import annotations

import torch

from fitorch.layers.reshaping.base_border import BaseBorder

Shape = tuple[int | None, ...]


class BaseCropping(BaseBorder):
    """Abstract N-D cropping of the ``rank`` spatial axes by ``cropping`` (see ``BaseBorder``).

    ``Cropping1D`` has no ``data_format`` and always crops axis 1.
    """

    argument = "cropping"

    def build(self, input_shape: Shape) -> None:
        self.compute_output_shape(input_shape)  # rejects crops that would empty an axis

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        self.compute_output_shape(tuple(inputs.shape))  # the same check for each new input size
        for axis, (before, after) in zip(self.spatial_axes, self._pairs, strict=True):
            inputs = inputs.narrow(axis, before, inputs.shape[axis] - before - after)
        return inputs

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        output_shape = list(input_shape)
        for axis, (before, after) in zip(self.spatial_axes, self._pairs, strict=True):
            size = input_shape[axis]
            if size is None:
                continue
            if size - before - after <= 0:
                raise ValueError(
                    f"{type(self).__name__} {self.name!r}: cropping={self.cropping} would remove all of axis "
                    f"{axis} (size {size}) of inputs of shape {tuple(input_shape)}; each axis must keep at "
                    "least one position. Crop less or use larger inputs."
                )
            output_shape[axis] = size - before - after
        return tuple(output_shape)
