"""Categorical cross-entropy for one-hot (or soft) targets."""

from __future__ import annotations

import warnings
from typing import Any

import torch

from fitorch import config
from fitorch.losses.loss import BaseCrossentropy, cast_to_prediction


def categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> torch.Tensor:
    """Returns the per-sample categorical cross-entropy, summed over the class ``axis``.

    With ``from_logits=False`` the predictions are first divided by their sum over
    ``axis`` and clipped to ``[eps, 1 - eps]``, exactly as Keras does.

    Args:
        y_true: one-hot or soft targets, the same shape as ``y_pred``.
        y_pred: probabilities, or logits when ``from_logits=True``.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in ``[0, 1]``; targets become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.

    Example:
        >>> y_true = torch.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
        >>> y_pred = torch.tensor([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
        >>> [round(v, 4) for v in categorical_crossentropy(y_true, y_pred).tolist()]
        [0.0513, 2.3026]
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be an int; received axis={axis!r}.")
    y_true, y_pred = categorical_targets(
        "categorical_crossentropy",
        y_true,
        y_pred,
        label_smoothing,
        axis,
        shape_hint=" For integer class labels use sparse_categorical_crossentropy.",
    )
    if from_logits:
        log_probs = torch.log_softmax(y_pred, dim=axis)
    else:
        eps = config.epsilon()
        probs = y_pred / y_pred.sum(dim=axis, keepdim=True)
        log_probs = torch.log(torch.clamp(probs, eps, 1.0 - eps))
    return -(y_true * log_probs).sum(dim=axis)


def categorical_targets(
    owner: str, y_true: Any, y_pred: Any, label_smoothing: float, axis: int, shape_hint: str = ""
) -> tuple[torch.Tensor, torch.Tensor]:
    """Checks the one-hot ``y_true`` of the categorical loss ``owner`` against ``y_pred`` and label-smooths it.

    Raises a ``ValueError`` when the shapes differ (``shape_hint`` ends the message) or
    ``y_pred`` is a scalar, and warns, at the loss's caller, when ``axis`` has one class.

    Example:
        >>> y_true, _ = categorical_targets("categorical_crossentropy", [[0.0, 1.0]], torch.ones(1, 2), 0.5, -1)
        >>> y_true.tolist()
        [[0.25, 0.75]]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{owner} expects one-hot `y_true` of the same shape as `y_pred`; received "
            f"y_true.shape={tuple(y_true.shape)}, y_pred.shape={tuple(y_pred.shape)}.{shape_hint}"
        )
    if y_pred.dim() == 0:
        raise ValueError(f"{owner} expects `y_pred` of rank >= 1; received a scalar.")
    if y_pred.shape[axis] == 1:
        warnings.warn(
            f"In {owner}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1; received y_pred.shape={tuple(y_pred.shape)}. "
            f"Consider {owner.replace('categorical_', 'binary_', 1)} for two classes.",
            stacklevel=3,
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[axis]
    return y_true, y_pred


class CategoricalCrossentropy(BaseCrossentropy):
    """Cross-entropy between one-hot labels and predicted class probabilities.

    Use it for single-label classification with one-hot targets; with integer labels
    use :class:`SparseCategoricalCrossentropy`. String name: ``'categorical_crossentropy'``.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
            Defaults to ``False``.
        label_smoothing: in ``[0, 1]``; 0.1 moves each target 10% towards uniform.
        axis: the class axis. Defaults to -1.
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'categorical_crossentropy'``.

    Example:
        >>> loss = CategoricalCrossentropy(from_logits=True)
        >>> round(float(loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.0, 0.0]]))), 4)
        0.6931
    """

    _fn = staticmethod(categorical_crossentropy)

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "categorical_crossentropy",
    ) -> None:
        super().__init__(from_logits, label_smoothing, axis, reduction, name)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"`axis` must be an int; received axis={axis!r}.")
