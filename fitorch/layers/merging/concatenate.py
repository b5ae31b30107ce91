"""``Concatenate``: joins a list of tensors along one axis."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.merging.base_merge import Merge, Shape, format_shapes


class Concatenate(Merge):
    """Concatenates a list of tensors along ``axis``.

    Use it to join the features of several branches. All inputs have the same
    rank and the same sizes on every axis except ``axis``.

    Args:
        axis: int, the axis to concatenate along (default ``-1``, the features).

    Call arguments:
        inputs: a list of at least 2 tensors.

    Input shape:
        A list of shapes equal except along ``axis``.

    Output shape:
        The common shape, with the sizes along ``axis`` summed.

    Example:
        >>> import torch
        >>> from fitorch.layers.merging import Concatenate
        >>> Concatenate()([torch.zeros(2, 3), torch.ones(2, 1)])
        tensor([[0., 0., 0., 1.],
                [0., 0., 0., 1.]])
        >>> Concatenate(axis=1)([torch.zeros(2, 2, 5), torch.zeros(2, 1, 5)]).shape
        torch.Size([2, 3, 5])
    """

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError(f"Concatenate {self.name!r}: axis must be an int; received axis={axis!r}.")
        self.axis = axis

    def call(self, inputs: list[torch.Tensor] | tuple[torch.Tensor, ...]) -> torch.Tensor:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(self._not_a_list_message(tuple(inputs.shape)))
        return torch.cat(list(inputs), dim=self.axis)

    def compute_mask(self, inputs: Any, mask: Any = None) -> torch.Tensor | None:
        """Keras' rule: each input's mask (all true where an input has none) widened to the input's shape,
        concatenated along ``axis``, then ``any`` over the last axis."""
        if mask is None or not isinstance(mask, (list, tuple)) or all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask, strict=True):
            if m is None:
                m = torch.ones_like(x, dtype=torch.bool)
            elif m.ndim < x.ndim:
                m = m.unsqueeze(-1).expand(x.shape)
            masks.append(m)
        return torch.cat(masks, dim=self.axis).any(dim=-1)

    def compute_output_shape(self, input_shape: Any) -> Shape:
        shapes = self._input_shapes(input_shape)
        ranks = {len(s) for s in shapes}
        if len(ranks) > 1:
            raise ValueError(
                f"Concatenate {self.name!r}: all inputs must have the same rank; "
                f"received shapes {format_shapes(shapes)}."
            )
        rank = ranks.pop()
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"Concatenate {self.name!r}: axis={self.axis} is out of range for inputs of rank {rank}; "
                f"received shapes {format_shapes(shapes)}."
            )
        axis = self.axis % rank
        output: list[int | None] = []
        for index in range(rank):
            sizes = [s[index] for s in shapes]
            if index == axis:
                output.append(None if None in sizes else sum(sizes))
                continue
            known = {d for d in sizes if d is not None}
            if len(known) > 1:
                raise ValueError(
                    f"Concatenate {self.name!r}: inputs must match on every axis except the concatenation "
                    f"axis ({self.axis}); received shapes {format_shapes(shapes)}, which differ on axis "
                    f"{index}."
                )
            output.append(known.pop() if known else None)
        return tuple(output)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}
