"""Axis arguments of the normalization layers that normalise over one or several axes (and their
parent ``BaseAxesNormalization``), and the ``epsilon``/``center``/``scale`` arguments of those with a
learned scale and offset."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

from fitorch import initializers
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


def set_affine_arguments(
    layer: Layer, epsilon: Any, center: Any, scale: Any, beta_initializer: Any, gamma_initializer: Any
) -> None:
    """Checks ``epsilon`` (a ``ValueError`` naming ``layer`` unless positive) and stores the five arguments.

    Example:
        >>> from fitorch.layers.normalization import GroupNormalization
        >>> layer = GroupNormalization(groups=2)
        >>> set_affine_arguments(layer, 1e-5, 1, False, "zeros", "ones")
        >>> layer.epsilon, layer.center, layer.scale
        (1e-05, True, False)
    """
    if not isinstance(epsilon, Real) or isinstance(epsilon, bool) or epsilon <= 0:
        raise ValueError(
            f"{type(layer).__name__} {layer.name!r}: epsilon must be a positive float; received epsilon={epsilon!r}."
        )
    layer.epsilon = float(epsilon)
    layer.center = bool(center)
    layer.scale = bool(scale)
    layer.beta_initializer = beta_initializer
    layer.gamma_initializer = gamma_initializer


def affine_config(layer: Layer, **flags: Any) -> dict[str, Any]:
    """The ``get_config`` entries of ``set_affine_arguments`` in Keras' order, with a layer's own ``flags``
    (``rms_scaling``) after ``scale`` as Keras puts them.

    Example:
        >>> from fitorch.layers.normalization import GroupNormalization
        >>> list(affine_config(GroupNormalization(groups=2), extra=1))
        ['epsilon', 'center', 'scale', 'extra', 'beta_initializer', 'gamma_initializer']
    """
    return {
        "epsilon": layer.epsilon,
        "center": layer.center,
        "scale": layer.scale,
        **flags,
        "beta_initializer": initializers.serialize(layer.beta_initializer),
        "gamma_initializer": initializers.serialize(layer.gamma_initializer),
    }


class BaseAxesNormalization(Layer):
    """Abstract normalization over the axes ``self.axis`` (``LayerNormalization``, ``RMSNormalization``).

    It checks the axes against an input shape, works out how the normalization runs on
    it (``axes_layout``) and keeps the input's shape as the output's.
    """

    axis: int | list[int]

    def _axes(self, input_shape: Sequence[int | None], known_sizes: bool = False) -> list[int]:
        """The normalised axes, non-negative and sorted."""
        return normalized_axes(self, self.axis, input_shape, known_sizes)

    def _build_layout(self, input_shape: Sequence[int | None]) -> tuple[int, ...]:
        """Sets the layout for inputs of ``input_shape`` and returns the weights' shape (the axes' sizes)."""
        axes = self._axes(input_shape, known_sizes=True)
        layout = axes_layout(axes, input_shape)
        self._reduce_axes, self._trailing, self._broadcast_shape, self._normalized_shape = layout
        return self._normalized_shape

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        self._axes(input_shape)
        return tuple(input_shape)
