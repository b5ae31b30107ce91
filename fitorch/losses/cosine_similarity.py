"""Cosine similarity loss: the negative cosine between targets and predictions."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.losses.loss import Loss, cast_to_prediction


def _l2_normalize(x: torch.Tensor, axis: int) -> torch.Tensor:
    # Keras' normalize: x * min(rsqrt(sum(x**2)), 1 / eps), so zero vectors stay zero.
    inv_norm = torch.rsqrt(torch.square(x).sum(dim=axis, keepdim=True))
    return x * torch.clamp(inv_norm, max=1.0 / config.epsilon())


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> torch.Tensor:
    """Returns ``-sum(l2_normalize(y_true) * l2_normalize(y_pred))`` along ``axis``.

    The result is in ``[-1, 1]``; -1 means the vectors point the same way, so
    minimising it aligns predictions with targets. Zero vectors give 0.

    Example:
        >>> y_true = torch.tensor([[0.0, 1.0], [1.0, 1.0]])
        >>> y_pred = torch.tensor([[0.0, 2.0], [-1.0, -1.0]])
        >>> [round(v, 4) for v in cosine_similarity(y_true, y_pred).tolist()]
        [-1.0, 1.0]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    return -(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis)).sum(dim=axis)


class CosineSimilarity(Loss):
    """Negative cosine similarity between labels and predictions.

    Use it when only the direction of the prediction matters (embeddings).
    String name: ``'cosine_similarity'``.

    Args:
        axis: the axis along which the cosine is computed. Defaults to -1.
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'cosine_similarity'``.

    Example:
        >>> loss = CosineSimilarity()
        >>> y_true, y_pred = torch.tensor([[0.0, 1.0], [1.0, 1.0]]), torch.tensor([[1.0, 0.0], [1.0, 1.0]])
        >>> round(float(loss(y_true, y_pred)), 4)
        -0.5
    """

    _config_keys = ("axis",)

    def __init__(
        self,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "cosine_similarity",
    ) -> None:
        super().__init__(name=name, reduction=reduction)
        self.axis = axis

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return cosine_similarity(y_true, y_pred, self.axis)
