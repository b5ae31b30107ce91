"""``Reshape``: gives each sample a new shape with the same number of values."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.layer import Layer


class Reshape(Layer):
    """Reshapes each sample to ``target_shape``, keeping the batch axis.

    Use it to move between vector and image or sequence shapes, e.g. after a
    ``Dense`` layer of a generator. Values keep their row-major order, and the
    result is a view of contiguous inputs (no copy).

    Args:
        target_shape: tuple of positive ints, the shape of each sample without the
            batch axis. One entry may be ``-1``, inferred from the input size.

    Call arguments:
        inputs: a tensor whose samples have ``prod(target_shape)`` values.

    Input shape:
        ``(batch, ...)``, with as many values per sample as ``target_shape``.

    Output shape:
        ``(batch, *target_shape)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import Reshape
        >>> Reshape((3, 4))(torch.zeros(2, 12)).shape
        torch.Size([2, 3, 4])
        >>> Reshape((-1, 2, 2))(torch.zeros(2, 12)).shape
        torch.Size([2, 3, 2, 2])
    """

    def __init__(self, target_shape: Sequence[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(target_shape, int):
            target_shape = (target_shape,)
        if not isinstance(target_shape, Sequence) or not all(
            isinstance(d, int) and not isinstance(d, bool) and (d > 0 or d == -1) for d in target_shape
        ):
            raise ValueError(
                f"Reshape {self.name!r}: target_shape must be a tuple of positive ints (one may be -1), "
                f"without the batch axis; received target_shape={target_shape!r}."
            )
        if list(target_shape).count(-1) > 1:
            raise ValueError(
                f"Reshape {self.name!r}: at most one entry of target_shape may be -1; "
                f"received target_shape={tuple(target_shape)}."
            )
        self.target_shape = tuple(target_shape)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        self.compute_output_shape(input_shape)  # a size mismatch fails here, where the model is defined

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs.reshape(inputs.shape[0], *self.target_shape)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        sample_shape = tuple(input_shape[1:])
        if None in sample_shape:
            return (input_shape[0], *(None if d == -1 else d for d in self.target_shape))
        size = math.prod(sample_shape)
        known = math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            if size % known != 0:
                raise ValueError(self._mismatch(input_shape, f"{size} values are not a multiple of {known}"))
            return (input_shape[0], *(size // known if d == -1 else d for d in self.target_shape))
        if size != known:
            raise ValueError(self._mismatch(input_shape, f"{size} values cannot become {known}"))
        return (input_shape[0], *self.target_shape)

    def _mismatch(self, input_shape: tuple[int | None, ...], reason: str) -> str:
        return (
            f"Reshape {self.name!r}: cannot reshape inputs of shape {tuple(input_shape)} to target_shape "
            f"{self.target_shape} (each sample's {reason}). The target must hold as many values as each "
            "sample of the input; use -1 for one axis to have it inferred."
        )

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "target_shape": list(self.target_shape)}
