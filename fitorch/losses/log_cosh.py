"""Log-cosh loss: ``mean(log(cosh(y_pred - y_true)))``, squared error near 0 and absolute error far out."""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.losses.loss import Loss, cast_to_prediction


def log_cosh(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns the per-sample logarithm of the hyperbolic cosine of the error, averaged over the last axis.

    Computed as ``x + softplus(-2 x) - log(2)`` with ``x = y_pred - y_true``, which equals
    ``log(cosh(x))`` without overflowing for large errors.

    Example:
        >>> [round(v, 4) for v in log_cosh(torch.tensor([[0.0, 0.0]]), torch.tensor([[1.0, -30.0]])).tolist()]
        [14.8703]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    error = y_pred - y_true
    return (error + F.softplus(-2.0 * error) - math.log(2.0)).mean(dim=-1)


class LogCosh(Loss):
    """Log-cosh loss: robust regression, about ``x**2 / 2`` for small errors and ``|x| - log(2)`` for large ones.

    String name: ``'log_cosh'`` (Keras' legacy alias ``'logcosh'`` too).

    Args:
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'log_cosh'``.

    Example:
        >>> loss = LogCosh()
        >>> round(float(loss(torch.tensor([[0.0], [0.0]]), torch.tensor([[1.0], [-1.0]]))), 4)
        0.4338
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = "log_cosh") -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return log_cosh(y_true, y_pred)
