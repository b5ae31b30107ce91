"""Keras weight regularizers, computed with torch: ``L1``, ``L2``, ``L1L2``, ``OrthogonalRegularizer``.

A regularizer maps a weight tensor to a scalar penalty that is added to the
training loss. The penalties are exactly Keras' (``keras.regularizers.L2(0.01)(w)``
gives the same number for the same ``w``).

Layout: Keras applies regularizers to weights in **Keras layout** (a Dense kernel
is ``(input_dim, units)``, a Conv2D kernel ``(kh, kw, in, out)``), while fitorch
stores weights in torch layout. ``L1``/``L2``/``L1L2`` are sums over all entries,
so the layout does not change them. ``OrthogonalRegularizer`` works on rows or
columns and therefore depends on the layout: fitorch applies every regularizer to
the Keras-layout view of a weight (for a Dense layer, ``weight.T``), so that
``mode='rows'`` means what it means in Keras.

Example:
    >>> import torch
    >>> round(float(L2(0.01)(torch.ones(3, 4))), 4)
    0.12
    >>> round(float(L1L2(l1=0.1, l2=0.5)(torch.tensor([1.0, -2.0]))), 4)
    2.8
"""

from __future__ import annotations

import math
from typing import Any

import torch

from fitorch import config


def _non_negative_float(owner: str, name: str, value: Any) -> float:
    """Keras' check: a finite, non-negative int or float."""
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(f"{owner}: {name} must be a non-negative float; received {name}={value!r}.")
    return float(value)


class Regularizer:
    """Base class: ``regularizer(weight) -> scalar tensor`` (the penalty).

    Subclass it to write your own penalty: implement ``__call__(x)`` and
    ``get_config()`` (plain data that ``from_config`` turns back into the object).
    The base class itself is the zero penalty.

    Example:
        >>> import torch
        >>> class Sum(Regularizer):
        ...     def __call__(self, x):
        ...         return x.sum()
        ...     def get_config(self):
        ...         return {}
        >>> float(Sum()(torch.ones(2, 2)))
        4.0
    """

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return torch.zeros((), dtype=x.dtype, device=x.device)

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as plain data."""
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config().")

    @classmethod
    def from_config(cls, config_dict: dict[str, Any]) -> Regularizer:
        """Creates a regularizer from ``get_config()``'s output."""
        return cls(**config_dict)

    def __repr__(self) -> str:
        try:
            arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        except NotImplementedError:
            arguments = ""
        return f"{type(self).__name__}({arguments})"


class L1L2(Regularizer):
    """``l1 * sum(|x|) + l2 * sum(x ** 2)``.

    Args:
        l1: non-negative float, the L1 factor (default ``0.0``).
        l2: non-negative float, the L2 factor (default ``0.0``).

    The string ``'l1_l2'`` gives ``L1L2(l1=0.01, l2=0.01)``, as Keras documents.
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = _non_negative_float("L1L2", "l1", 0.0 if l1 is None else l1)
        self.l2 = _non_negative_float("L1L2", "l2", 0.0 if l2 is None else l2)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        penalty = torch.zeros((), dtype=x.dtype, device=x.device)
        if self.l1 != 0.0:
            penalty = penalty + self.l1 * x.abs().sum()
        if self.l2 != 0.0:
            penalty = penalty + self.l2 * x.square().sum()
        return penalty

    def get_config(self) -> dict[str, Any]:
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """``l1 * sum(|x|)``; the string ``'l1'`` gives ``L1(0.01)``.

    Args:
        l1: non-negative float (default ``0.01``).
    """

    def __init__(self, l1: float = 0.01) -> None:
        self.l1 = _non_negative_float("L1", "l1", 0.01 if l1 is None else l1)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.l1 * x.abs().sum()

    def get_config(self) -> dict[str, Any]:
        return {"l1": self.l1}


class L2(Regularizer):
    """``l2 * sum(x ** 2)``; the string ``'l2'`` gives ``L2(0.01)``.

    Note that Keras' L2 has no factor ``1/2``: ``L2(l2)`` equals torch's
    ``weight_decay=2 * l2`` under plain SGD.

    Args:
        l2: non-negative float (default ``0.01``).
    """

    def __init__(self, l2: float = 0.01) -> None:
        self.l2 = _non_negative_float("L2", "l2", 0.01 if l2 is None else l2)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.l2 * x.square().sum()

    def get_config(self) -> dict[str, Any]:
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2D weight towards being orthogonal.

    The penalty is ``factor * 0.5 * sum(|P - diag(P)|) / (n * (n - 1) / 2)``, where
    ``P`` holds the dot products of the L2-normalised rows (``mode='rows'``) or
    columns (``mode='columns'``) and ``n`` is their number: ``factor`` times the
    mean absolute cosine between distinct rows.

    It is applied to the **Keras-layout** weight: for a ``Dense`` kernel
    ``(input_dim, units)`` (fitorch's ``weight.T``), ``mode='rows'`` makes the
    ``input_dim`` vectors of size ``units`` orthogonal, as in Keras.

    Args:
        factor: non-negative float (default ``0.01``).
        mode: ``'rows'`` (default) or ``'columns'``.

    Example:
        >>> import torch
        >>> float(OrthogonalRegularizer(1.0)(torch.eye(3)))
        0.0
        >>> round(float(OrthogonalRegularizer(1.0)(torch.ones(3, 2))), 4)  # all rows parallel
        1.0
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows") -> None:
        self.factor = _non_negative_float("OrthogonalRegularizer", "factor", factor)
        if mode not in ("rows", "columns"):
            raise ValueError(
                f"OrthogonalRegularizer: mode must be 'rows' or 'columns'; received mode={mode!r}."
            )
        self.mode = mode

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2:
            raise ValueError(
                f"OrthogonalRegularizer: the weight must have rank 2 (Keras layout); received shape "
                f"{tuple(x.shape)}."
            )
        axis = 1 if self.mode == "rows" else 0
        size = x.shape[0] if self.mode == "rows" else x.shape[1]
        if size < 2:
            raise ValueError(
                f"OrthogonalRegularizer: mode={self.mode!r} needs at least 2 {self.mode} to compare; "
                f"received shape {tuple(x.shape)}."
            )
        # Keras' normalize: x * min(rsqrt(sum x^2), 1 / epsilon).
        inverse_norm = torch.rsqrt(x.square().sum(dim=axis, keepdim=True)).clamp(max=1.0 / config.epsilon())
        normalized = x * inverse_norm
        # (n, n) cosines between rows (or columns).
        product = normalized @ normalized.T if self.mode == "rows" else normalized.T @ normalized
        off_diagonal = product * (1.0 - torch.eye(size, dtype=x.dtype, device=x.device))
        num_pairs = size * (size - 1.0) / 2.0
        return self.factor * 0.5 * off_diagonal.abs().sum() / num_pairs

    def get_config(self) -> dict[str, Any]:
        return {"factor": self.factor, "mode": self.mode}
