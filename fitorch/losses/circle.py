"""Circle loss (Sun et al., 2020): a metric-learning loss on pairwise cosine distances of embeddings."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.losses.loss import Loss, number_argument


def _positive_negative_masks(
    query_labels: torch.Tensor, key_labels: torch.Tensor, remove_diagonal: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """Boolean ``(Q, K)`` masks of same-label and different-label pairs; the diagonal is no positive pair."""
    # (Q,) or (Q, 1) vs (K,) or (K, 1) -> (Q, K)
    positive = query_labels.reshape(-1, 1) == key_labels.reshape(1, -1)
    negative = ~positive
    if remove_diagonal:
        eye = torch.eye(positive.shape[0], positive.shape[1], dtype=torch.bool, device=positive.device)
        positive = positive & ~eye
    return positive, negative


def circle(
    y_true: Any,
    y_pred: Any,
    ref_labels: Any = None,
    ref_embeddings: Any = None,
    remove_diagonal: bool = True,
    gamma: float = 80,
    margin: float = 0.4,
) -> torch.Tensor:
    """Returns the per-sample circle loss of L2-normalised embeddings.

    Each query is compared with every reference (the batch itself by default):
    with cosine distances ``d``, positives (same label) are pushed below ``margin``
    and negatives above ``1 - margin``, each pair weighted by how far it is from
    its optimum, and ``softplus(logsumexp(positive terms) + logsumexp(negative terms))``
    is the loss. As in Keras, the returned values carry a mask of the positive
    ones, so the :class:`Circle` class averages over those.

    Args:
        y_true: integer labels, shape ``(batch_size,)`` or ``(batch_size, 1)``.
        y_pred: L2-normalised embeddings, shape ``(batch_size, dim)``.
        ref_labels: labels of the reference embeddings; defaults to ``y_true``.
        ref_embeddings: reference embeddings ``(num_refs, dim)``; defaults to ``y_pred``.
        remove_diagonal: whether the pair ``(i, i)`` is excluded from the positives.
        gamma: the scale factor.
        margin: the relaxation margin.

    Example:
        >>> y_pred = torch.nn.functional.normalize(torch.tensor([[1.0, 0.2], [0.3, 1.0], [1.0, 0.5]]), dim=-1)
        >>> [round(v, 4) for v in circle(torch.tensor([0, 0, 1]), y_pred).tolist()]
        [71.3664, 34.4828, 0.0]
    """
    y_pred = torch.as_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.float()
    labels = torch.as_tensor(y_true, device=y_pred.device).to(torch.int32)
    ref_embeddings = y_pred if ref_embeddings is None else torch.as_tensor(ref_embeddings, device=y_pred.device)
    ref_labels = labels if ref_labels is None else torch.as_tensor(ref_labels, device=y_pred.device).to(torch.int32)
    # (Q, D) @ (D, K) -> (Q, K) cosine distances, floored at 0.
    distances = torch.clamp(1.0 - y_pred @ ref_embeddings.to(y_pred.dtype).T, min=0.0)
    positive, negative = _positive_negative_masks(labels, ref_labels, remove_diagonal)
    # The optimum of a positive distance is -margin, of a negative 1 + margin; the decision
    # boundaries are margin and 1 - margin.
    pos_weights = torch.clamp((margin + distances) * positive, min=0.0)
    neg_weights = torch.clamp((1.0 + margin - distances) * negative, min=0.0)
    pos_terms = -gamma * pos_weights * (margin - distances)
    neg_terms = gamma * neg_weights * ((1.0 - margin) - distances)
    neg_inf = torch.tensor(float("-inf"), dtype=distances.dtype, device=distances.device)
    pos_loss = torch.logsumexp(torch.where(positive, pos_terms, neg_inf), dim=1)
    neg_loss = torch.logsumexp(torch.where(negative, neg_terms, neg_inf), dim=1)
    values = F.softplus(pos_loss + neg_loss)
    values._keras_mask = values > 0  # type: ignore[attr-defined]
    return values


class Circle(Loss):
    """Circle loss for metric learning: pulls same-label embeddings together, pushes others apart.

    ``y_true`` holds integer labels ``(batch_size,)`` and ``y_pred`` L2-normalised
    embeddings ``(batch_size, dim)`` (e.g. after ``UnitNormalization``); pairs are
    formed within the batch. Only samples with a positive loss count in the mean,
    as in Keras. String name: ``'circle'``.

    Args:
        gamma: the scale factor, > 0. Defaults to 80.0.
        margin: the relaxation margin. Defaults to 0.4.
        remove_diagonal: whether a sample is not its own positive pair. Defaults to ``True``.
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'circle'``.

    Example:
        >>> y_pred = torch.nn.functional.normalize(torch.tensor([[1.0, 0.2], [0.3, 1.0], [1.0, 0.5]]), dim=-1)
        >>> round(float(Circle()(torch.tensor([0, 0, 1]), y_pred)), 4)
        52.9246
    """

    _config_keys = ("gamma", "margin", "remove_diagonal")

    def __init__(
        self,
        gamma: float = 80.0,
        margin: float = 0.4,
        remove_diagonal: bool = True,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "circle",
    ) -> None:
        super().__init__(name=name, reduction=reduction)
        self.gamma = number_argument("Circle", "gamma", gamma)
        self.margin = number_argument("Circle", "margin", margin)
        if not gamma > 0:
            raise ValueError(f"Circle: `gamma` must be > 0; received gamma={gamma!r}.")
        self.remove_diagonal = bool(remove_diagonal)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return circle(y_true, y_pred, remove_diagonal=self.remove_diagonal, gamma=self.gamma, margin=self.margin)
