"""Mean squared error: ``mean((y_true - y_pred) ** 2)`` over the last axis."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.losses.loss import Loss, cast_to_prediction


def mean_squared_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns the per-sample mean squared error, reducing the last axis.

    Example:
        >>> mean_squared_error(torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 1.0]])).tolist()
        [0.5]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    return torch.square(y_true - y_pred).mean(dim=-1)


class MeanSquaredError(Loss):
    """Mean of squares of errors between labels and predictions.

    The default loss for regression. String names: ``'mse'``, ``'mean_squared_error'``.

    Args:
        reduction: see :class:`fitorch.losses.Loss`; defaults to ``'sum_over_batch_size'``.
        name: defaults to ``'mean_squared_error'``.

    Example:
        >>> loss = MeanSquaredError()
        >>> y_true, y_pred = torch.tensor([[0.0, 1.0], [0.0, 0.0]]), torch.tensor([[1.0, 1.0], [1.0, 0.0]])
        >>> round(float(loss(y_true, y_pred)), 4)
        0.5
    """

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str | None = "mean_squared_error"
    ) -> None:
        super().__init__(name=name, reduction=reduction)

    def fused_mean(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor | None:
        # Same shapes and dtype: the mean over the last axis, then over samples, is the overall mean.
        if y_true.shape == y_pred.shape and y_true.dtype == y_pred.dtype and y_pred.dim() > 0:
            return F.mse_loss(y_pred, y_true)
        return None

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return mean_squared_error(y_true, y_pred)
