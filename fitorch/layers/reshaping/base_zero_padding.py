"""``BaseZeroPadding``: the shared parent of ``ZeroPadding1D``, ``ZeroPadding2D`` and ``ZeroPadding3D``.

Zero padding adds ``(before, after)`` zeros to each spatial axis with one ``F.pad``
call, which writes the result in the input's own layout.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from fitorch.layers.reshaping.base_border import BaseBorder

Shape = tuple[int | None, ...]


class BaseZeroPadding(BaseBorder):
    """Abstract N-D zero padding of the ``rank`` spatial axes by ``padding`` (see ``BaseBorder``)."""

    argument = "padding"

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

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, data_format={self.data_format!r}"
