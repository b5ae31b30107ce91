"""``Permute``: reorders the axes of each sample."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]


class Permute(Layer):
    """Permutes the non-batch axes of the input according to ``dims``.

    Use it to swap axes between layers, e.g. ``Permute((2, 1))`` turns
    ``(batch, steps, features)`` into ``(batch, features, steps)``. The result is a
    view of the input (torch's ``permute``), so nothing is copied.

    Args:
        dims: tuple of ints, a permutation of ``1, ..., rank - 1`` (indexing starts at
            1: the batch axis 0 always stays first).

    Input shape:
        ``(batch, *axes)`` with ``len(dims)`` axes after the batch axis.

    Output shape:
        ``(batch, *(axes[d - 1] for d in dims))``.

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import Permute
        >>> Permute((2, 1))(torch.zeros(4, 10, 64)).shape
        torch.Size([4, 64, 10])
        >>> Permute((3, 1, 2))(torch.zeros(4, 5, 6, 7)).shape
        torch.Size([4, 7, 5, 6])
    """

    def __init__(self, dims: Sequence[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if (
            not isinstance(dims, (tuple, list))
            or not all(isinstance(d, int) and not isinstance(d, bool) for d in dims)
            or sorted(dims) != list(range(1, len(dims) + 1))
        ):
            raise ValueError(
                f"Permute {self.name!r}: dims must be a permutation of 1, ..., n (the batch axis 0 is not "
                f"included, it always stays first), such as (2, 1); received dims={dims!r}."
            )
        self.dims = tuple(dims)
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs.permute(0, *self.dims)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "dims": self.dims}

    def extra_repr(self) -> str:
        return f"name={self.name!r}, dims={self.dims}"
