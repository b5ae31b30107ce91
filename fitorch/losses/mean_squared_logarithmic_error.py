"""Mean squared logarithmic error: ``mean((log(y_pred + 1) - log(y_true + 1)) ** 2)``."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.losses.loss import Loss, cast_to_prediction


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns the per-sample mean squared logarithmic error, reducing the last axis.

    Values are floored at ``epsilon()`` before the log, as in Keras, so negative inputs
    count as zero.

    Example:
        >>> round(float(mean_squared_logarithmic_error(torch.tensor([[0.0]]), torch.tensor([[1.0]]))[0]), 4)
        0.4805
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    eps = config.epsilon()
    first_log = torch.log(torch.clamp(y_pred, min=eps) + 1.0)
    second_log = torch.log(torch.clamp(y_true, min=eps) + 1.0)
    return torch.square(first_log - second_log).mean(dim=-1)


class MeanSquaredLogarithmicError(Loss):
    """Mean squared logarithmic error between labels and predictions.

    Penalises relative rather than absolute differences; suits positive targets that
    span orders of magnitude. String names: ``'msle'``, ``'mean_squared_logarithmic_error'``.

    Args:
        reduction: see :class:`fitorch.losses.Loss`; defaults to ``'sum_over_batch_size'``.
        name: defaults to ``'mean_squared_logarithmic_error'``.

    Example:
        >>> loss = MeanSquaredLogarithmicError()
        >>> round(float(loss(torch.tensor([[0.0], [0.0]]), torch.tensor([[1.0], [0.0]]))), 4)
        0.2402
    """

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "mean_squared_logarithmic_error",
    ) -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return mean_squared_logarithmic_error(y_true, y_pred)
