"""Poisson loss: ``mean(y_pred - y_true * log(y_pred + eps))``."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.losses.loss import Loss, cast_to_prediction


def poisson(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns the per-sample Poisson loss, reducing the last axis.

    ``y_pred`` is the predicted rate (positive, e.g. after ``exp`` or ``softplus``).

    Example:
        >>> round(float(poisson(torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 2.0]]))[0]), 4)
        1.5
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    return (y_pred - y_true * torch.log(y_pred + config.epsilon())).mean(dim=-1)


class Poisson(Loss):
    """Poisson negative log-likelihood (without the constant term) for count targets.

    Use it when targets are counts assumed Poisson-distributed. String name: ``'poisson'``.

    Args:
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'poisson'``.

    Example:
        >>> loss = Poisson()
        >>> round(float(loss(torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 2.0]]))), 4)
        1.5
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = "poisson") -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return poisson(y_true, y_pred)
