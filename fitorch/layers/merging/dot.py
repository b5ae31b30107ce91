"""``Dot``: the per-sample dot product of two tensors along chosen axes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch import config
from fitorch.layers.merging.base_merge import Merge, Shape, format_shapes


class Dot(Merge):
    """Computes the dot product of two tensors along one axis of each, sample by sample.

    Use it for similarity scores (``normalize=True`` gives the cosine similarity)
    or attention-like products. For inputs ``x`` of shape ``(batch, ...)`` and
    ``y`` of shape ``(batch, ...)``, it sums ``x * y`` over ``x``'s axis
    ``axes[0]`` and ``y``'s axis ``axes[1]`` (which must have the same size). The
    output keeps ``x``'s remaining axes, then ``y``'s (without its batch axis); when
    only the batch axis remains, a size-1 axis is added: ``(batch, 1)``.

    Args:
        axes: int, or a pair of ints, the axis of each input to sum over. Negative
            values count from the end; the batch axis (0) cannot be used.
        normalize: whether to L2-normalise both inputs along those axes first
            (default ``False``); the output is then the cosine similarity.

    Call arguments:
        inputs: a list of exactly 2 tensors, each of rank >= 2.

    Input shape:
        ``[(batch, ...), (batch, ...)]``.

    Output shape:
        ``(batch, *x_rest, *y_rest)``, or ``(batch, 1)`` for two 2D inputs.

    Example:
        >>> import torch
        >>> from fitorch.layers.merging import Dot
        >>> x = torch.arange(10.0).reshape(1, 5, 2)
        >>> y = torch.arange(10.0, 20.0).reshape(1, 2, 5)
        >>> Dot(axes=(1, 2))([x, y])
        tensor([[[260., 360.],
                 [320., 445.]]])
        >>> Dot(axes=1, normalize=True)([torch.tensor([[3.0, 4.0]]), torch.tensor([[3.0, 4.0]])])
        tensor([[1.]])
    """

    def __init__(self, axes: int | Sequence[int], normalize: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(axes, bool) or not isinstance(axes, (int, list, tuple)):
            raise TypeError(f"Dot {self.name!r}: axes must be an int or a pair of ints; received axes={axes!r}.")
        if isinstance(axes, (list, tuple)):
            if len(axes) != 2 or not all(isinstance(a, int) and not isinstance(a, bool) for a in axes):
                raise ValueError(
                    f"Dot {self.name!r}: axes must be an int or a pair of ints (one axis per input); received "
                    f"axes={axes!r}."
                )
            axes = list(axes)
        self.axes = axes
        self.normalize = bool(normalize)

    def _resolved_axes(self, shapes: list[Shape]) -> tuple[int, int]:
        """Non-negative axes for inputs of these shapes; checks ranks and the batch axis."""
        pair = [self.axes, self.axes] if isinstance(self.axes, int) else self.axes
        resolved = []
        for axis, shape in zip(pair, shapes, strict=True):
            rank = len(shape)
            if rank < 2:
                raise ValueError(
                    f"Dot {self.name!r}: both inputs need rank >= 2 (a batch axis and a feature axis); received "
                    f"shapes {format_shapes(shapes)}."
                )
            if not -rank <= axis < rank or axis % rank == 0:
                raise ValueError(
                    f"Dot {self.name!r}: axes={self.axes!r} does not name a non-batch axis of inputs with shapes "
                    f"{format_shapes(shapes)}; the batch axis 0 cannot be summed over."
                )
            resolved.append(axis % rank)
        return resolved[0], resolved[1]

    def _two_shapes(self, input_shape: Any) -> list[Shape]:
        shapes = self._input_shapes(input_shape)
        if len(shapes) != 2:
            raise ValueError(
                f"Dot {self.name!r}: expected exactly 2 inputs; received {len(shapes)} inputs with shapes "
                f"{format_shapes(shapes)}."
            )
        return shapes

    def compute_output_shape(self, input_shape: Any) -> Shape:
        shapes = self._two_shapes(input_shape)
        a0, a1 = self._resolved_axes(shapes)
        first, second = shapes
        if first[a0] is not None and second[a1] is not None and first[a0] != second[a1]:
            raise ValueError(
                f"Dot {self.name!r}: the summed axes differ in size: {first[a0]} (axis {a0} of the first input) "
                f"and {second[a1]} (axis {a1} of the second); received shapes {format_shapes(shapes)}."
            )
        batch_sizes = {first[0], second[0]} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"Dot {self.name!r}: inputs have different batch sizes; received shapes {format_shapes(shapes)}."
            )
        rest = [d for i, d in enumerate(first) if i != a0] + [d for i, d in enumerate(second) if i not in (0, a1)]
        return tuple(rest) if len(rest) > 1 else (rest[0], 1)

    def call(self, inputs: list[torch.Tensor] | tuple[torch.Tensor, ...]) -> torch.Tensor:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(self._not_a_list_message(tuple(inputs.shape)))
        x, y = inputs if len(inputs) == 2 else self._two_shapes([tuple(t.shape) for t in inputs])
        a0, a1 = self._resolved_axes([tuple(x.shape), tuple(y.shape)])
        if self.normalize:
            x, y = _l2_normalize(x, a0), _l2_normalize(y, a1)
        batch, size = x.shape[0], x.shape[a0]
        x_rest = [d for i, d in enumerate(x.shape) if i != a0][1:]
        y_rest = [d for i, d in enumerate(y.shape) if i not in (0, a1)]
        # (B, *x_rest, K) @ (B, K, *y_rest) as one batched matmul: (B, X, K) @ (B, K, Y) -> (B, X, Y)
        x3 = x.movedim(a0, -1).reshape(batch, -1, size)
        y3 = y.movedim(a1, 1).reshape(batch, size, -1)
        output = torch.bmm(x3, y3).reshape(batch, *x_rest, *y_rest)
        return output.unsqueeze(-1) if output.ndim == 1 else output

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def _l2_normalize(x: torch.Tensor, axis: int) -> torch.Tensor:
    """Keras' ``ops.normalize``: ``x * min(rsqrt(sum(x ** 2)), 1 / epsilon)``."""
    return x * torch.rsqrt(x.square().sum(dim=axis, keepdim=True)).clamp(max=1.0 / config.epsilon())
