"""Generalized cross-entropy (Zhang & Sabuncu, 2018): ``(1 - p_true ** q) / q``, robust to noisy labels."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.losses.loss import Loss


def categorical_generalized_cross_entropy(y_true: Any, y_pred: Any, q: float) -> torch.Tensor:
    """Returns the per-sample generalized cross-entropy ``(1 - p ** q) / q`` of the true class's probability ``p``.

    ``q -> 0`` approaches categorical cross-entropy and ``q = 1`` is the mean absolute
    error; values in between trade convergence speed for robustness to label noise.

    Args:
        y_true: integer class labels, shape ``(batch_size,)`` or ``(batch_size, 1)`` (sparse, not one-hot).
        y_pred: predicted probabilities, shape ``(batch_size, num_classes)``.
        q: in ``(0, 1)``.

    Example:
        >>> y_pred = torch.tensor([[0.75, 0.25], [0.5, 0.5]])
        >>> [round(v, 4) for v in categorical_generalized_cross_entropy(torch.tensor([0, 1]), y_pred, q=0.5).tolist()]
        [0.2679, 0.5858]
    """
    y_pred = torch.as_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.float()
    labels = torch.as_tensor(y_true, device=y_pred.device).long()
    if labels.dim() == y_pred.dim() and labels.shape[-1] == 1:
        labels = labels.squeeze(-1)  # (B, 1) -> (B,); Keras would broadcast to (B, B)
    one_hot = F.one_hot(labels, num_classes=y_pred.shape[-1]).to(y_pred.dtype)
    p = (y_pred * one_hot).sum(dim=-1)
    return (1.0 - torch.pow(p, q)) / q


class CategoricalGeneralizedCrossEntropy(Loss):
    """Generalized cross-entropy for classification with noisy labels.

    Takes integer labels (like ``SparseCategoricalCrossentropy``) and probabilities.
    String name: ``'categorical_generalized_cross_entropy'``.

    Args:
        q: in ``(0, 1)``; near 0 behaves like cross-entropy, near 1 like mean
            absolute error (more robust to noise). Defaults to 0.5.
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'categorical_generalized_cross_entropy'``.

    Example:
        >>> loss = CategoricalGeneralizedCrossEntropy(q=0.5)
        >>> round(float(loss(torch.tensor([0, 1]), torch.tensor([[0.75, 0.25], [0.5, 0.5]]))), 4)
        0.4269
    """

    _config_keys = ("q",)

    def __init__(
        self,
        q: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "categorical_generalized_cross_entropy",
    ) -> None:
        if isinstance(q, bool) or not isinstance(q, (int, float)) or not 0 < q < 1:
            raise ValueError(
                f"CategoricalGeneralizedCrossEntropy: `q` must be in the interval (0, 1); received q={q!r}."
            )
        super().__init__(name=name, reduction=reduction)
        self.q = q

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return categorical_generalized_cross_entropy(y_true, y_pred, self.q)
