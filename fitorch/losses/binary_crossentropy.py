"""Binary cross-entropy for 0/1 (or probabilistic) targets, one or many labels per sample."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch import config
from fitorch.losses.loss import BaseCrossentropy, cast_to_prediction


def binary_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> torch.Tensor:
    """Returns the per-sample binary cross-entropy, averaged over ``axis``.

    With ``from_logits=False`` the probabilities are clipped to ``[eps, 1 - eps]``
    first, as Keras does, so a confident wrong prediction costs about 16.1, not inf.

    Args:
        y_true: targets in ``[0, 1]``, the same shape as ``y_pred`` (a trailing
            size-1 axis may differ).
        y_pred: probabilities, or logits when ``from_logits=True``.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in ``[0, 1]``; targets move towards 0.5 by this amount.
        axis: the axis to average over.

    Example:
        >>> y_true = torch.tensor([[0.0, 1.0], [0.0, 0.0]])
        >>> y_pred = torch.tensor([[0.6, 0.4], [0.4, 0.6]])
        >>> [round(v, 4) for v in binary_crossentropy(y_true, y_pred).tolist()]
        [0.9163, 0.7136]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "binary_crossentropy expects `y_true` and `y_pred` of the same shape; received "
            f"y_true.shape={tuple(y_true.shape)}, y_pred.shape={tuple(y_pred.shape)}."
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        bce = F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none")
    else:
        bce = clipped_binary_crossentropy(y_true, y_pred)
    return bce.mean(dim=axis)


def clipped_binary_crossentropy(y_true: torch.Tensor, probs: torch.Tensor) -> torch.Tensor:
    """Element-wise binary cross-entropy of probabilities clipped to ``[eps, 1 - eps]``, as Keras computes it.

    Example:
        >>> values = clipped_binary_crossentropy(torch.tensor([1.0, 0.0]), torch.tensor([0.5, 0.0]))
        >>> [round(v, 4) for v in values.tolist()]
        [0.6931, 0.0]
    """
    # Written out rather than F.binary_cross_entropy, which refuses to run under
    # autocast; after the clip, log never reaches the -100 floor torch's kernel has.
    eps = config.epsilon()
    probs = torch.clamp(probs, eps, 1.0 - eps)
    return -(y_true * torch.log(probs) + (1.0 - y_true) * torch.log1p(-probs))


class BinaryCrossentropy(BaseCrossentropy):
    """Cross-entropy between true labels and predicted probabilities for binary targets.

    Use it for two-class problems (one sigmoid output) and for multi-label problems
    (one independent sigmoid per label). String names: ``'binary_crossentropy'``, ``'bce'``.

    Args:
        from_logits: whether ``y_pred`` holds logits (more stable) rather than
            probabilities. Defaults to ``False``.
        label_smoothing: in ``[0, 1]``; 0.1 turns targets 0/1 into 0.05/0.95.
        axis: the axis averaged over. Defaults to -1.
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'binary_crossentropy'``.

    Example:
        >>> loss = BinaryCrossentropy(from_logits=True)
        >>> round(float(loss(torch.tensor([[1.0], [0.0]]), torch.tensor([[2.0], [-1.0]]))), 4)
        0.2201
    """

    _fn = staticmethod(binary_crossentropy)

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "binary_crossentropy",
    ) -> None:
        super().__init__(from_logits, label_smoothing, axis, reduction, name)
