"""``UnitNormalization``: scales each example to unit L2 norm over ``axis``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.activations.base_activation import SAME_SHAPE
from fitorch.layers.layer import Layer
from fitorch.layers.normalization.axes import axis_argument
from fitorch.utils.docstrings import fill_doc

# Keras' floor on the norm: x * min(1 / ||x||, 1 / epsilon).
_EPSILON = 1e-12


@fill_doc(same_shape=SAME_SHAPE)
class UnitNormalization(Layer):
    """Divides each example by its L2 norm over ``axis``, so it has unit length.

    Use it before cosine-similarity heads, metric learning and retrieval embeddings.
    Computed as Keras does, ``x * min(rsqrt(sum(x ** 2, axis)), 1e12)``, so an
    all-zero vector stays zero.

    Args:
        axis: int or list of ints, the axes whose norm is made 1 (default ``-1``).

    Call arguments:
        inputs: a floating tensor.

    {same_shape}

    Example:
        >>> import torch
        >>> from fitorch.layers.normalization import UnitNormalization
        >>> y = UnitNormalization()(torch.tensor([[3.0, 4.0], [0.0, 0.0]]))
        >>> y.tolist()
        [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """

    supports_masking = True

    def __init__(self, axis: int | Sequence[int] = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        axis = axis_argument(self, axis)
        self.axis = axis

    def _check_axes(self, input_shape: Sequence[int | None]) -> None:
        rank = len(input_shape)
        for axis in self.axis if isinstance(self.axis, list) else [self.axis]:
            if not -rank <= axis < rank:
                raise ValueError(
                    f"UnitNormalization {self.name!r}: axis {axis} is out of bounds for inputs of rank {rank} "
                    f"(received shape {tuple(input_shape)})."
                )

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        self._check_axes(input_shape)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        square_sum = inputs.square().sum(dim=self.axis, keepdim=True)
        return inputs * torch.rsqrt(square_sum).clamp(max=1.0 / _EPSILON)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        self._check_axes(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}
