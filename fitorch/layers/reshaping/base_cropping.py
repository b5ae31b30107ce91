"""``BaseCropping``: the shared parent of ``Cropping1D``, ``Cropping2D`` and ``Cropping3D``.

Cropping removes ``(before, after)`` positions from each spatial axis with
``Tensor.narrow``, so the result is a view of the input and nothing is copied.
"""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.layers.convolutional.padding import Pair, normalize_pairs
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]


class BaseCropping(Layer):
    """Abstract N-D cropping of the ``rank`` spatial axes.

    Args:
        cropping: an int (every side), or per axis an int (both sides) or a
            ``(before, after)`` pair; see ``padding.normalize_pairs``.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``. ``Cropping1D`` always crops axis 1.
    """

    rank: int = 0
    #: Whether the layer has a ``data_format`` argument (Keras' ``Cropping1D`` has none).
    takes_data_format: bool = True

    def __init__(self, cropping: Any, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        owner = f"{type(self).__name__} {self.name!r}"
        self._pairs: tuple[Pair, ...] = normalize_pairs(cropping, self.rank, "cropping", owner)
        # Keras' attribute: one pair for Cropping1D, a pair per axis otherwise.
        self.cropping = self._pairs[0] if self.rank == 1 else self._pairs
        try:
            self.data_format = config.standardize_data_format(data_format)
        except ValueError as error:
            raise ValueError(f"{owner}: {error}") from None
        self.input_spec = InputSpec(ndim=self.rank + 2)

    @property
    def spatial_axes(self) -> tuple[int, ...]:
        """The cropped axes: ``(1, ..., rank)`` for channels_last, ``(2, ..., rank + 1)`` otherwise."""
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

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

    def get_config(self) -> dict[str, Any]:
        config_dict = {**super().get_config(), "cropping": self.cropping}
        if self.takes_data_format:
            config_dict["data_format"] = self.data_format
        return config_dict

    def extra_repr(self) -> str:
        return f"name={self.name!r}, cropping={self.cropping}"
