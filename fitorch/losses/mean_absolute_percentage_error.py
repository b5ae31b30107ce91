"""Mean absolute percentage error: ``100 * mean(|(y_true - y_pred) / y_true|)``."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.losses.loss import Loss, cast_to_prediction


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns the per-sample mean absolute percentage error, reducing the last axis.

    ``|y_true|`` is floored at ``epsilon()`` so zero targets give large, finite values.

    Example:
        >>> mean_absolute_percentage_error(torch.tensor([[2.0, 4.0]]), torch.tensor([[1.0, 4.0]])).tolist()
        [25.0]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    diff = torch.abs((y_true - y_pred) / torch.clamp(torch.abs(y_true), min=config.epsilon()))
    return 100.0 * diff.mean(dim=-1)


class MeanAbsolutePercentageError(Loss):
    """Mean absolute percentage error between labels and predictions.

    Useful when errors should be relative to the size of the target. String names:
    ``'mape'``, ``'mean_absolute_percentage_error'``.

    Args:
        reduction: see :class:`fitorch.losses.Loss`; defaults to ``'sum_over_batch_size'``.
        name: defaults to ``'mean_absolute_percentage_error'``.

    Example:
        >>> loss = MeanAbsolutePercentageError()
        >>> round(float(loss(torch.tensor([[2.0, 4.0]]), torch.tensor([[1.0, 4.0]]))), 4)
        25.0
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "mean_absolute_percentage_error",
    ) -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return mean_absolute_percentage_error(y_true, y_pred)
