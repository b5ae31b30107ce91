"""Kullback-Leibler divergence between target and predicted distributions."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.losses.loss import Loss, cast_to_prediction


def kl_divergence(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns the per-sample ``sum(y_true * log(y_true / y_pred))`` over the last axis.

    Both inputs are clipped to ``[eps, 1]`` first, as in Keras.

    Example:
        >>> round(float(kl_divergence(torch.tensor([[0.5, 0.5]]), torch.tensor([[0.25, 0.75]]))[0]), 4)
        0.1438
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    y_true = torch.clamp(y_true, config.epsilon(), 1.0)
    y_pred = torch.clamp(y_pred, config.epsilon(), 1.0)
    return (y_true * torch.log(y_true / y_pred)).sum(dim=-1)


class KLDivergence(Loss):
    """Kullback-Leibler divergence from the predicted to the target distribution.

    Use it when targets are probability distributions (distillation, soft labels).
    String names: ``'kl_divergence'``, ``'kld'``, ``'kullback_leibler_divergence'``.

    Args:
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'kl_divergence'``.

    Example:
        >>> loss = KLDivergence()
        >>> round(float(loss(torch.tensor([[0.5, 0.5]]), torch.tensor([[0.25, 0.75]]))), 4)
        0.1438
    """

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str | None = "kl_divergence"
    ) -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return kl_divergence(y_true, y_pred)
