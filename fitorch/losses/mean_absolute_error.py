"""Mean absolute error: ``mean(|y_true - y_pred|)`` over the last axis."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.losses.loss import Loss, cast_to_prediction


def mean_absolute_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns the per-sample mean absolute error, reducing the last axis.

    Example:
        >>> mean_absolute_error(torch.tensor([[0.0, 1.0]]), torch.tensor([[2.0, 1.0]])).tolist()
        [1.0]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    return torch.abs(y_true - y_pred).mean(dim=-1)


class MeanAbsoluteError(Loss):
    """Mean of absolute errors between labels and predictions.

    Less sensitive to outliers than the squared error. String names: ``'mae'``,
    ``'mean_absolute_error'``.

    Args:
        reduction: see :class:`fitorch.losses.Loss`; defaults to ``'sum_over_batch_size'``.
        name: defaults to ``'mean_absolute_error'``.

    Example:
        >>> loss = MeanAbsoluteError()
        >>> y_true, y_pred = torch.tensor([[0.0, 1.0], [0.0, 0.0]]), torch.tensor([[1.0, 1.0], [1.0, 0.0]])
        >>> round(float(loss(y_true, y_pred)), 4)
        0.5
    """

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str | None = "mean_absolute_error"
    ) -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return mean_absolute_error(y_true, y_pred)
