"""``BaseZeroPadding``: the shared parent of ``ZeroPadding1D``, ``ZeroPadding2D`` and ``ZeroPadding3D``.

Zero padding adds ``(before, after)`` zeros to each spatial axis with one ``F.pad``
call, which writes the result in the input's own layout.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch import config
from fitorch.layers.convolutional.padding import Pair, normalize_pairs
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]


class BaseZeroPadding(Layer):
    """Abstract N-D zero padding of the ``rank`` spatial axes.

    Args:
        padding: an int (every side), or per axis an int (both sides) or a
            ``(before, after)`` pair; see ``padding.normalize_pairs``.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
    """

    rank: int = 0

    def __init__(self, padding: Any, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        owner = f"{type(self).__name__} {self.name!r}"
        self._pairs: tuple[Pair, ...] = normalize_pairs(padding, self.rank, "padding", owner)
        # Keras' attribute: one pair for ZeroPadding1D, a pair per axis otherwise.
        self.padding = self._pairs[0] if self.rank == 1 else self._pairs
        try:
            self.data_format = config.standardize_data_format(data_format)
        except ValueError as error:
            raise ValueError(f"{owner}: {error}") from None
        self.input_spec = InputSpec(ndim=self.rank + 2)

    @property
    def spatial_axes(self) -> tuple[int, ...]:
        """The padded axes: ``(1, ..., rank)`` for channels_last, ``(2, ..., rank + 1)`` otherwise."""
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # F.pad lists (before, after) from the last axis backwards; channels_last first skips the channels.
        flat = [0, 0] if self.data_format == "channels_last" else []
        for before, after in reversed(self._pairs):
            flat += [before, after]
        return F.pad(inputs, flat)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        output_shape = list(input_shape)
        for axis, (before, after) in zip(self.spatial_axes, self._pairs, strict=True):
            if input_shape[axis] is not None:
                output_shape[axis] = input_shape[axis] + before + after
        return tuple(output_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "padding": self.padding, "data_format": self.data_format}

    def extra_repr(self) -> str:
        return f"name={self.name!r}, padding={self.padding}, data_format={self.data_format!r}"
