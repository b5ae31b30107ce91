"""Tversky loss: a Dice loss with separate weights for false positives and false negatives."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.losses.dice import Axis, overlap_axis_argument, sum_over
from fitorch.losses.loss import Loss, cast_to_prediction, number_argument


def tversky(y_true: Any, y_pred: Any, alpha: float = 0.5, beta: float = 0.5, axis: Axis = None) -> torch.Tensor:
    """Returns ``1 - TP / (TP + alpha * FP + beta * FN + eps)``, with soft counts summed over ``axis``.

    ``TP = sum(y_true * y_pred)``, ``FP = sum(y_true * (1 - y_pred))`` and
    ``FN = sum((1 - y_true) * y_pred)``, the counts exactly as Keras defines them.

    Args:
        y_true: targets in ``[0, 1]``.
        y_pred: predicted probabilities, the same shape.
        alpha: the weight of the ``FP`` term.
        beta: the weight of the ``FN`` term.
        axis: the axes summed; ``None`` (the default) sums everything.

    Example:
        >>> y_true = torch.tensor([[1.0, 1.0, 0.0, 0.0]])
        >>> y_pred = torch.tensor([[0.5, 1.0, 0.5, 0.0]])
        >>> round(float(tversky(y_true, y_pred, alpha=0.5, beta=0.5)), 4)
        0.25
    """
    axis = overlap_axis_argument("tversky", axis)
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    intersection = sum_over(y_true * y_pred, axis)
    fp = sum_over((1.0 - y_pred) * y_true, axis)
    fn = sum_over(y_pred * (1.0 - y_true), axis)
    return 1.0 - intersection / (intersection + alpha * fp + beta * fn + config.epsilon())


class Tversky(Loss):
    """Tversky loss: an overlap loss that trades false positives against false negatives.

    With ``alpha = beta = 0.5`` it is the Dice loss; raise the weight of the term
    you want fewer of (Salehi et al., 2017). String name: ``'tversky'``.

    Args:
        alpha: the weight of the ``FP`` term (``sum(y_true * (1 - y_pred))``, as in Keras).
            Defaults to 0.5.
        beta: the weight of the ``FN`` term (``sum((1 - y_true) * y_pred)``). Defaults to 0.5.
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'tversky'``.
        axis: the axes summed; ``None`` (the default) gives one value for the whole batch.

    Example:
        >>> loss = Tversky(alpha=0.3, beta=0.7)
        >>> round(float(loss(torch.tensor([[1.0, 1.0, 0.0, 0.0]]), torch.tensor([[0.5, 1.0, 1.0, 0.0]]))), 4)
        0.3617
    """

    _config_keys = ("alpha", "beta", "axis")

    def __init__(
        self,
        alpha: float = 0.5,
        beta: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "tversky",
        axis: Axis = None,
    ) -> None:
        super().__init__(name=name, reduction=reduction)
        self.alpha = number_argument("Tversky", "alpha", alpha)
        self.beta = number_argument("Tversky", "beta", beta)
        self.axis = overlap_axis_argument("Tversky", axis)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return tversky(y_true, y_pred, alpha=self.alpha, beta=self.beta, axis=self.axis)
