"""Thresholded confusion counts: Keras' ``update_confusion_matrix_variables``, on the device.

For each threshold ``t`` a prediction counts as positive when ``y_pred > t``. The
(weighted) true positives, false positives, true negatives and false negatives per
threshold are what ``Precision``, ``Recall``, ``AUC`` and their relatives accumulate.

Two computations, chosen exactly as Keras chooses them so that the counts are Keras'
to the last rounding:

* evenly spaced thresholds (``AUC``'s 200 by default): each prediction falls into
  the bucket ``ceil(y_pred * (T - 1)) - 1`` and the counts are reverse cumulative
  sums of the buckets: O(N + T) work instead of O(N * T);
* any other thresholds: compare every prediction with every threshold.

Neither reads a value back to the host.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.losses.loss import squeeze_or_expand_to_same_rank

NEG_INF = -1e10
COUNTS = ("tp", "fp", "tn", "fn")


def to_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def parse_init_thresholds(thresholds: Any, default_threshold: float = 0.5) -> list[float]:
    """Returns the thresholds as a list; checks that each is in [0, 1] (Keras' message)."""
    if thresholds is not None:
        invalid = [t for t in to_list(thresholds) if t is None or t < 0 or t > 1]
        if invalid:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return to_list(default_threshold if thresholds is None else thresholds)


def is_evenly_distributed_thresholds(thresholds: Sequence[float]) -> bool:
    """True for ``[0, 1/(T-1), ..., 1]`` (T >= 3), within ``epsilon``: Keras' test for the bucket path."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


def filter_top_k(x: torch.Tensor, k: int) -> torch.Tensor:
    """Keeps the ``k`` largest entries of the last axis; the others become ``NEG_INF``."""
    indices = x.topk(k, dim=-1).indices
    mask = torch.zeros_like(x).scatter_(-1, indices, 1.0)
    return x * mask + NEG_INF * (1 - mask)


def update_confusion_counts(
    counts: dict[str, torch.Tensor],
    y_true: Any,
    y_pred: Any,
    thresholds: Sequence[float],
    *,
    thresholds_distributed_evenly: bool = False,
    top_k: int | None = None,
    class_id: int | None = None,
    sample_weight: Any = None,
    multi_label: bool = False,
    label_weights: torch.Tensor | None = None,
    thresholds_tensor: torch.Tensor | None = None,
) -> None:
    """Adds one batch to the per-threshold counts in ``counts`` (keys among ``'tp', 'fp', 'tn', 'fn'``).

    Args:
        counts: state buffers, shape ``(T,)`` (or ``(T, labels)`` with ``multi_label``).
        y_true: 0/1 (or boolean) labels.
        y_pred: scores, compared as ``y_pred > threshold``.
        thresholds: the ``T`` thresholds.
        thresholds_distributed_evenly: use the bucket computation (see module doc).
        top_k: only the ``k`` highest scores of each row may be positive.
        class_id: count only this column of ``(N, classes)`` inputs.
        sample_weight: per-sample (or per-element) weights.
        multi_label: keep one count per label (column) instead of flattening.
        label_weights: per-label weights (not with ``multi_label``).
        thresholds_tensor: ``thresholds`` already on the device (a metric buffer), so
            that no update copies them from the host.
    """
    first = next(iter(counts.values()))
    dtype, device = first.dtype, first.device
    y_pred = torch.as_tensor(y_pred, device=device).to(dtype)
    y_true = torch.as_tensor(y_true, device=device).to(dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = torch.as_tensor(sample_weight, device=device).to(dtype).unsqueeze(-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.dim() == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), "
                f"found shape: {tuple(y_pred.shape)}"
            )
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    if sample_weight is not None:
        sample_weight = sample_weight.broadcast_to(y_pred.shape)
    if thresholds_distributed_evenly:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
        _bucketed(counts, y_true, y_pred, len(thresholds), multi_label, sample_weight, label_weights, with_epsilon)
    else:
        if thresholds_tensor is None:
            thresholds_tensor = torch.tensor(list(thresholds), dtype=dtype, device=device)
        _compared(counts, y_true, y_pred, thresholds_tensor, multi_label, sample_weight, label_weights)


def _weights(y_pred: torch.Tensor, sample_weight: torch.Tensor | None, label_weights: torch.Tensor | None,
             multi_label: bool) -> torch.Tensor | None:  # fmt: skip
    weights = sample_weight
    if label_weights is not None and not multi_label:
        label_weights = label_weights.to(y_pred.device, y_pred.dtype).broadcast_to(y_pred.shape)
        weights = label_weights if weights is None else weights * label_weights
    return weights


def _bucketed(counts: dict[str, torch.Tensor], y_true: torch.Tensor, y_pred: torch.Tensor, num_thresholds: int,
              multi_label: bool, sample_weight: torch.Tensor | None, label_weights: torch.Tensor | None,
              with_epsilon: bool) -> None:  # fmt: skip
    weights = _weights(y_pred, sample_weight, label_weights, multi_label)
    y_pred = y_pred.clamp(0.0, 1.0)
    y_true = (y_true != 0).to(y_pred.dtype)
    if not multi_label:
        y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)
        weights = None if weights is None else weights.reshape(-1)
    true_labels = y_true if weights is None else y_true * weights
    false_labels = (1.0 - y_true) if weights is None else (1.0 - y_true) * weights
    buckets = torch.ceil(y_pred * (num_thresholds - 1)) - 1
    if with_epsilon:
        buckets = torch.relu(buckets)
    buckets = buckets.long()
    # A score of exactly 0 (without the epsilon thresholds) is above no threshold: bucket -1, dropped.
    valid = buckets >= 0
    buckets = buckets.clamp(min=0)
    # Labels (and totals) per label with multi_label: reduce the sample axis only.
    total_true = true_labels.sum(dim=0) if multi_label else true_labels.sum()
    total_false = false_labels.sum(dim=0) if multi_label else false_labels.sum()
    true_labels, false_labels = true_labels * valid, false_labels * valid
    if multi_label:
        # (N, L) bucket ids -> flat ids into a (T, L) grid.
        labels = y_pred.shape[-1]
        flat = (buckets * labels + torch.arange(labels, device=y_pred.device)).reshape(-1)
        shape: tuple[int, ...] = (num_thresholds, labels)
    else:
        flat, shape = buckets, (num_thresholds,)
    size = int(np.prod(shape))
    zeros = torch.zeros(size, dtype=y_pred.dtype, device=y_pred.device)
    tp_buckets = zeros.index_add(0, flat, true_labels.reshape(-1))
    fp_buckets = zeros.index_add(0, flat, false_labels.reshape(-1))
    # Reverse cumulative sums over the threshold axis: the predictions above each threshold.
    tp = tp_buckets.reshape(shape).flip(0).cumsum(0).flip(0)
    fp = fp_buckets.reshape(shape).flip(0).cumsum(0).flip(0)
    updates = {"tp": tp, "fp": fp, "tn": total_false - fp, "fn": total_true - tp}
    for key, buffer in counts.items():
        buffer.add_(updates[key])


def _compared(counts: dict[str, torch.Tensor], y_true: torch.Tensor, y_pred: torch.Tensor,
              thresholds_tensor: torch.Tensor, multi_label: bool, sample_weight: torch.Tensor | None,
              label_weights: torch.Tensor | None) -> None:  # fmt: skip
    weights = _weights(y_pred, sample_weight, label_weights, multi_label)
    thresholds_tensor = thresholds_tensor.to(device=y_pred.device, dtype=y_pred.dtype)
    label_is_pos = y_true != 0
    if multi_label:
        # (T, 1, 1) against (1, N, L): counts per threshold and label.
        pred_is_pos = y_pred.unsqueeze(0) > thresholds_tensor.reshape(-1, 1, *([1] * (y_pred.dim() - 1)))
        label_is_pos = label_is_pos.unsqueeze(0)
        weights = None if weights is None else weights.unsqueeze(0)
    else:
        pred_is_pos = y_pred.reshape(1, -1) > thresholds_tensor.reshape(-1, 1)
        label_is_pos = label_is_pos.reshape(1, -1)
        weights = None if weights is None else weights.reshape(1, -1)
    pairs = {
        "tp": (label_is_pos, pred_is_pos),
        "fp": (~label_is_pos, pred_is_pos),
        "tn": (~label_is_pos, ~pred_is_pos),
        "fn": (label_is_pos, ~pred_is_pos),
    }
    for key, buffer in counts.items():
        label, pred = pairs[key]
        both = label & pred
        values = both.to(buffer.dtype) if weights is None else torch.where(both, weights, 0).to(buffer.dtype)
        buffer.add_(values.sum(dim=1))
