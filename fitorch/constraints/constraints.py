"""Keras weight constraints, computed with torch: ``MaxNorm``, ``MinMaxNorm``, ``NonNeg``, ``UnitNorm``.

A constraint maps a weight to its projection onto an allowed set; Keras applies it
to a weight right after each optimizer step. Each constraint here returns a new
tensor (the caller assigns it), with Keras' numbers.

Layout: ``axis`` has Keras' meaning, i.e. it indexes the **Keras-layout** weight
(a Dense kernel is ``(input_dim, units)``, so the default ``axis=0`` constrains
the incoming weight vector of each unit; a Conv2D kernel ``(kh, kw, in, out)``
takes ``axis=[0, 1, 2]``). Apply a constraint to the Keras-layout view of a
fitorch weight (for a Dense layer, ``weight.T``).

Example:
    >>> import torch
    >>> w = torch.tensor([[3.0, 0.1], [4.0, 0.0]])  # column norms 5 and 0.1
    >>> MaxNorm(max_value=1.0)(w)
    tensor([[0.6000, 0.1000],
            [0.8000, 0.0000]])
    >>> NonNeg()(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import torch

from fitorch import config

Axis = int | Sequence[int]


def _check_axis(owner: str, axis: Any) -> int | list[int]:
    if isinstance(axis, int) and not isinstance(axis, bool):
        return axis
    if isinstance(axis, Sequence) and not isinstance(axis, str) and axis:
        if all(isinstance(a, int) and not isinstance(a, bool) for a in axis):
            return list(axis)
    raise ValueError(f"{owner}: axis must be an int or a non-empty list of ints; received axis={axis!r}.")


def _check_number(owner: str, name: str, value: Any, low: float = 0.0) -> float:
    if not isinstance(value, Real) or isinstance(value, bool) or not value >= low:
        raise ValueError(f"{owner}: {name} must be a number >= {low}; received {name}={value!r}.")
    return float(value)


def _norms(w: torch.Tensor, axis: int | list[int]) -> torch.Tensor:
    """L2 norms over ``axis``, kept for broadcasting, as Keras computes them."""
    return w.square().sum(dim=axis, keepdim=True).sqrt()


class Constraint:
    """Base class: ``constraint(weight) -> constrained weight``; the base is the identity.

    Subclass it and implement ``__call__(w)`` and ``get_config()``.
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        return w

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as plain data."""
        return {}

    @classmethod
    def from_config(cls, config_dict: dict[str, Any]) -> Constraint:
        """Creates a constraint from ``get_config()``'s output."""
        return cls(**config_dict)

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"


class MaxNorm(Constraint):
    """Rescales each weight vector whose L2 norm exceeds ``max_value`` down to ``max_value``.

    ``w * clip(norm, 0, max_value) / (epsilon + norm)``, with the norms taken over
    ``axis`` of the Keras-layout weight.

    Args:
        max_value: the largest allowed norm (default ``2``).
        axis: int or list of ints, the axes the norm is taken over (default ``0``).
    """

    def __init__(self, max_value: float = 2, axis: Axis = 0) -> None:
        self.max_value = _check_number("MaxNorm", "max_value", max_value)
        self.axis = _check_axis("MaxNorm", axis)

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        norms = _norms(w, self.axis)
        desired = norms.clamp(0.0, self.max_value)
        return w * (desired / (config.epsilon() + norms))

    def get_config(self) -> dict[str, Any]:
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each weight vector's L2 norm into ``[min_value, max_value]``, at speed ``rate``.

    ``desired = rate * clip(norm, min_value, max_value) + (1 - rate) * norm`` and
    ``w * desired / (epsilon + norm)``; ``rate=1`` projects exactly.

    Args:
        min_value: the smallest allowed norm (default ``0.0``).
        max_value: the largest allowed norm (default ``1.0``).
        rate: in ``[0, 1]``, how far to move towards the interval (default ``1.0``).
        axis: int or list of ints, the axes the norm is taken over (default ``0``).
    """

    def __init__(self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis: Axis = 0) -> None:
        self.min_value = _check_number("MinMaxNorm", "min_value", min_value)
        self.max_value = _check_number("MinMaxNorm", "max_value", max_value)
        if self.min_value > self.max_value:
            raise ValueError(
                f"MinMaxNorm: min_value must not exceed max_value; received min_value={min_value!r}, "
                f"max_value={max_value!r}."
            )
        self.rate = _check_number("MinMaxNorm", "rate", rate)
        if self.rate > 1.0:
            raise ValueError(f"MinMaxNorm: rate must be in [0, 1]; received rate={rate!r}.")
        self.axis = _check_axis("MinMaxNorm", axis)

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        norms = _norms(w, self.axis)
        desired = self.rate * norms.clamp(self.min_value, self.max_value) + (1 - self.rate) * norms
        return w * (desired / (config.epsilon() + norms))

    def get_config(self) -> dict[str, Any]:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to 0."""

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        return w.clamp(min=0)


class UnitNorm(Constraint):
    """Rescales each weight vector to unit L2 norm: ``w / (epsilon + norm)``.

    Args:
        axis: int or list of ints, the axes the norm is taken over (default ``0``).
    """

    def __init__(self, axis: Axis = 0) -> None:
        self.axis = _check_axis("UnitNorm", axis)

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        return w / (config.epsilon() + _norms(w, self.axis))

    def get_config(self) -> dict[str, Any]:
        return {"axis": self.axis}
