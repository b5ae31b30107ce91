"""Accuracy metrics, as functions (per-sample 0/1 matches) and streaming classes.

Pick by the shape of the targets: ``BinaryAccuracy`` for 0/1 targets against
probabilities, ``CategoricalAccuracy`` for one-hot targets, ``SparseCategoricalAccuracy``
for integer labels; the top-k variants count a hit when the true class is among the
``k`` highest scores (ties count as hits, as in Keras).
"""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.losses.loss import squeeze_or_expand_to_same_rank
from fitorch.metrics.reduction_metrics import FixedFunctionMetric


def _as_tensors(y_true: Any, y_pred: Any) -> tuple[torch.Tensor, torch.Tensor]:
    y_pred = torch.as_tensor(y_pred)
    return torch.as_tensor(y_true, device=y_pred.device), y_pred


def _sparse_labels(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    # Labels of shape (B, 1) against scores (B, C) become (B,).
    if y_true.dim() == y_pred.dim() and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    return y_true


def _in_top_k(labels: torch.Tensor, scores: torch.Tensor, k: int) -> torch.Tensor:
    """True where the score of ``labels`` is at least the k-th largest score (ties are hits)."""
    k = min(k, scores.shape[-1])
    kth_largest = scores.topk(k, dim=-1).values[..., -1:]
    target_score = scores.gather(-1, labels.long().unsqueeze(-1))
    return (target_score >= kth_largest).squeeze(-1)


def accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns 1.0 where ``y_pred`` equals ``y_true`` exactly, else 0.0.

    Example:
        >>> accuracy(torch.tensor([1, 2, 3]), torch.tensor([1.0, 2.0, 0.0])).tolist()
        [1.0, 1.0, 0.0]
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true.to(y_pred.dtype), y_pred)
    return (y_true == y_pred).to(config.floatx_dtype())


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> torch.Tensor:
    """Returns 1.0 where ``y_pred > threshold`` matches the 0/1 ``y_true``, else 0.0.

    Example:
        >>> binary_accuracy(torch.tensor([[1.0], [0.0], [1.0]]), torch.tensor([[0.9], [0.6], [0.4]])).tolist()
        [[1.0], [0.0], [0.0]]
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    predicted = (y_pred > threshold).to(y_true.dtype)
    return (y_true == predicted).to(config.floatx_dtype())


def categorical_accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns 1.0 where the argmax of ``y_pred`` matches the argmax of one-hot ``y_true``.

    Example:
        >>> y_pred = torch.tensor([[0.2, 0.8], [0.3, 0.7]])
        >>> categorical_accuracy(torch.tensor([[0, 1], [1, 0]]), y_pred).tolist()
        [1.0, 0.0]
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    return (_one_hot_labels(y_true) == y_pred.argmax(dim=-1)).to(config.floatx_dtype())


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns 1.0 where the argmax of ``y_pred`` equals the integer label ``y_true``.

    Labels may be shaped ``(B,)`` or ``(B, 1)``, and may be float-typed.

    Example:
        >>> sparse_categorical_accuracy(torch.tensor([1, 0]), torch.tensor([[0.2, 0.8], [0.3, 0.7]])).tolist()
        [1.0, 0.0]
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    y_true = _sparse_labels(y_true, y_pred)
    predicted = y_pred.argmax(dim=-1)
    # Compare in the labels' dtype: exact for any integer label (casting to a bf16
    # prediction dtype, say, would merge labels above 256).
    if y_true.is_floating_point():
        predicted = predicted.to(y_true.dtype)
    else:
        y_true = y_true.long()
    return (y_true == predicted).to(config.floatx_dtype())


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> torch.Tensor:
    """Returns 1.0 where the one-hot ``y_true`` class is among the ``k`` top scores.

    Example:
        >>> y_pred = torch.tensor([[0.1, 0.5, 0.4], [0.6, 0.3, 0.1]])
        >>> top_k_categorical_accuracy(torch.tensor([[0, 0, 1], [0, 0, 1]]), y_pred, k=2).tolist()
        [1.0, 0.0]
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    return _in_top_k(_one_hot_labels(y_true), y_pred, k).to(config.floatx_dtype())


def _one_hot_labels(y_true: torch.Tensor) -> torch.Tensor:
    """The class index of each one-hot row; boolean one-hot targets (Keras accepts them) included."""
    return (y_true.to(torch.uint8) if y_true.dtype == torch.bool else y_true).argmax(dim=-1)


def sparse_top_k_categorical_accuracy(
    y_true: Any, y_pred: Any, k: int = 5, from_sorted_ids: bool = False
) -> torch.Tensor:
    """Returns 1.0 where the integer label is among the ``k`` top scores.

    Args:
        y_true: integer labels, ``(B,)`` or ``(B, 1)``.
        y_pred: scores ``(B, C)``; or, with ``from_sorted_ids=True``, class ids
            already sorted by score, ``(B, N)`` with ``N >= k``.
        k: how many top entries count.
        from_sorted_ids: whether ``y_pred`` holds sorted ids instead of scores.

    Example:
        >>> y_pred = torch.tensor([[0.1, 0.5, 0.4], [0.6, 0.3, 0.1]])
        >>> sparse_top_k_categorical_accuracy(torch.tensor([2, 2]), y_pred, k=2).tolist()
        [1.0, 0.0]
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    labels = _sparse_labels(y_true, y_pred).long()
    if from_sorted_ids:
        matches = (labels.unsqueeze(-1) == y_pred[..., :k].long()).any(dim=-1)
    else:
        matches = _in_top_k(labels, y_pred, k)
    return matches.to(config.floatx_dtype())


class _AccuracyMetric(FixedFunctionMetric):
    """A ``FixedFunctionMetric`` that is maximized."""

    _direction = "up"


def _check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"`k` must be an int >= 1; received k={k!r}.")


class Accuracy(_AccuracyMetric):
    """How often predictions equal labels exactly.

    For class predictions (not scores). With scores, use one of the other accuracy
    metrics; ``compile(metrics=['accuracy'])`` picks one for you.

    Args:
        name: defaults to ``'accuracy'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name: str | None = "accuracy", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(accuracy, name, dtype)


class BinaryAccuracy(_AccuracyMetric):
    """How often thresholded probabilities match 0/1 labels.

    Args:
        name: defaults to ``'binary_accuracy'``.
        dtype: defaults to ``floatx()``.
        threshold: predictions above it count as 1. Defaults to 0.5; use 0.0 with logits.

    Example:
        >>> m = BinaryAccuracy()
        >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1.0], [0.0], [0.6]])
        >>> float(m.result())
        0.75
    """

    def __init__(
        self,
        name: str | None = "binary_accuracy",
        dtype: str | torch.dtype | None = None,
        threshold: float = 0.5,
    ) -> None:
        super().__init__(binary_accuracy, name, dtype, threshold=threshold)


class CategoricalAccuracy(_AccuracyMetric):
    """How often the predicted class (argmax) matches the one-hot label.

    Args:
        name: defaults to ``'categorical_accuracy'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = CategoricalAccuracy()
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name: str | None = "categorical_accuracy", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(categorical_accuracy, name, dtype)


class SparseCategoricalAccuracy(_AccuracyMetric):
    """How often the predicted class (argmax) matches the integer label.

    Args:
        name: defaults to ``'sparse_categorical_accuracy'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = SparseCategoricalAccuracy()
        >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]])
        >>> float(m.result())
        0.5
    """

    def __init__(
        self, name: str | None = "sparse_categorical_accuracy", dtype: str | torch.dtype | None = None
    ) -> None:
        super().__init__(sparse_categorical_accuracy, name, dtype)


class TopKCategoricalAccuracy(_AccuracyMetric):
    """How often the one-hot label is among the ``k`` highest-scoring classes.

    Args:
        k: how many top classes count. Defaults to 5.
        name: defaults to ``'top_k_categorical_accuracy'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = TopKCategoricalAccuracy(k=1)
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]])
        >>> float(m.result())
        0.5
    """

    def __init__(
        self,
        k: int = 5,
        name: str | None = "top_k_categorical_accuracy",
        dtype: str | torch.dtype | None = None,
    ) -> None:
        _check_k(k)
        super().__init__(top_k_categorical_accuracy, name, dtype, k=k)


class SparseTopKCategoricalAccuracy(_AccuracyMetric):
    """How often the integer label is among the ``k`` highest-scoring classes.

    Args:
        k: how many top classes count. Defaults to 5.
        name: defaults to ``'sparse_top_k_categorical_accuracy'``.
        dtype: defaults to ``floatx()``.
        from_sorted_ids: whether ``y_pred`` holds class ids sorted by score rather
            than scores. Defaults to ``False``.

    Example:
        >>> m = SparseTopKCategoricalAccuracy(k=1)
        >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]])
        >>> float(m.result())
        0.5
    """

    def __init__(
        self,
        k: int = 5,
        name: str | None = "sparse_top_k_categorical_accuracy",
        dtype: str | torch.dtype | None = None,
        from_sorted_ids: bool = False,
    ) -> None:
        _check_k(k)
        super().__init__(sparse_top_k_categorical_accuracy, name, dtype, k=k, from_sorted_ids=from_sorted_ids)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        if not self.from_sorted_ids:  # Keras writes it only when set
            del config["from_sorted_ids"]
        return config
