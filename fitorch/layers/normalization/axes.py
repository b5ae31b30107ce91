"""Axis arguments of the normalization layers that normalise over one or several axes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fitorch.layers.layer import Layer


def axis_argument(layer: Layer, axis: Any) -> int | list[int]:
    """``axis`` as an int or a list of ints; a ``TypeError`` naming ``layer`` for anything else.

    Example:
        >>> from fitorch.layers.normalization import LayerNormalization
        >>> axis_argument(LayerNormalization(), (1, 2))
        [1, 2]
    """
    if isinstance(axis, (list, tuple)) and axis and all(type(a) is int for a in axis):
        return list(axis)
    if type(axis) is not int:
        raise TypeError(
            f"{type(layer).__name__} {layer.name!r}: axis must be an int or a non-empty list of ints; "
            f"received axis={axis!r}."
        )
    return axis


def normalized_axes(
    layer: Layer, axis: int | list[int], input_shape: Sequence[int | None], known_sizes: bool = False
) -> list[int]:
    """The axes of ``axis`` for inputs of ``input_shape``, non-negative and sorted.

    Raises a ``ValueError`` naming ``layer`` when an axis is out of bounds or repeated,
    and, with ``known_sizes`` (when building weights), when one has an unknown size.

    Example:
        >>> from fitorch.layers.normalization import LayerNormalization
        >>> normalized_axes(LayerNormalization(), [-1, 1], (None, 4, 8))
        [1, 2]
    """
    owner = f"{type(layer).__name__} {layer.name!r}"
    rank = len(input_shape)
    axes = axis if isinstance(axis, list) else [axis]
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(
                f"{owner}: axis {a} is out of bounds for inputs of rank {rank} "
                f"(received shape {tuple(input_shape)}); received axis={axis}."
            )
    normalized = sorted({a % rank for a in axes})
    if len(normalized) != len(axes):
        raise ValueError(f"{owner}: axis={axis} repeats an axis.")
    if known_sizes and any(input_shape[a] is None for a in normalized):
        raise ValueError(
            f"{owner}: the normalised axes {normalized} must have known sizes; received shape {tuple(input_shape)}."
        )
    return normalized


def axes_layout(
    axes: list[int], input_shape: Sequence[int | None]
) -> tuple[tuple[int, ...], bool, tuple[int, ...], tuple[int, ...]]:
    """How a layer normalising over ``axes`` (from :func:`normalized_axes`) runs on inputs of ``input_shape``.

    Returns:
        ``(reduce_axes, trailing, broadcast_shape, normalized_shape)``: the axes as a
        tuple; whether they are the last ones (so the fused ``F.layer_norm`` or
        ``F.rms_norm`` applies); the weight's shape against the input (the axis sizes,
        1 elsewhere); and the sizes of the normalised axes.

    Example:
        >>> axes_layout([2], (None, 4, 8))
        ((2,), True, (1, 1, 8), (8,))
    """
    rank = len(input_shape)
    trailing = axes == list(range(rank - len(axes), rank))
    broadcast_shape = tuple(input_shape[a] if a in axes else 1 for a in range(rank))
    return tuple(axes), trailing, broadcast_shape, tuple(input_shape[a] for a in axes)
