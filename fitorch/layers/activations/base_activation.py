"""``BaseActivation``: the shared parent of the elementwise activation layers, and their shared docstring parts."""

from __future__ import annotations

from numbers import Real
from typing import Any

from fitorch.layers.layer import Layer

CALL_ARGUMENTS = """\
Call arguments:
    inputs: a tensor.
"""

SAME_SHAPE = """\
Input shape:
    Any.

Output shape:
    Same as the input.
"""


class BaseActivation(Layer):
    """An elementwise layer: the output has the input's shape and the mask passes through.

    Example:
        >>> import torch
        >>> class Double(BaseActivation):
        ...     def call(self, inputs):
        ...         return 2 * inputs
        >>> Double().compute_output_shape((None, 3))
        (None, 3)
    """

    supports_masking = True

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape)

    def _float_argument(self, name: str, value: Any, non_negative: bool = False, alternative: str = "") -> float:
        """``value`` as a float; a ``ValueError`` naming the layer and ``name`` when it is not a (non-negative) real."""
        if not isinstance(value, Real) or isinstance(value, bool) or (non_negative and not value >= 0):
            what = "a float >= 0" if non_negative else "a float"
            also = f" {alternative}" if alternative else ""
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: {name} must be {what}{also}; received {name}={value!r}."
            )
        return float(value)
