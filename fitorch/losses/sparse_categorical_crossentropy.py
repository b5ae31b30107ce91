"""Sparse categorical cross-entropy: integer class labels against class scores."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch import config
from fitorch.losses.loss import Loss

# F.cross_entropy's default: a label equal to it is skipped (Keras' torch backend shares it).
_TORCH_IGNORE_INDEX = -100


def _sparse_labels(y_true: Any, y_pred: torch.Tensor, axis: int) -> torch.Tensor:
    """Returns ``y_true`` as int64 labels shaped like ``y_pred`` without the class axis."""
    y_true = torch.as_tensor(y_true, device=y_pred.device)
    if y_true.dim() == y_pred.dim() and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)
    # Float labels (common from NumPy) truncate toward zero, as Keras' cast does.
    y_true = y_true.long()
    expected = list(y_pred.shape)
    del expected[axis]
    if list(y_true.shape) != expected:
        raise ValueError(
            "sparse_categorical_crossentropy expects integer labels shaped like `y_pred` without its class "
            f"axis, i.e. {tuple(expected)} (or with a trailing 1); "
            f"received y_true.shape={tuple(y_true.shape)}, "
            f"y_pred.shape={tuple(y_pred.shape)}. For one-hot labels use categorical_crossentropy."
        )
    return y_true


def _out_of_range(error: IndexError, target: torch.Tensor, classes: int, ignore_index: int) -> ValueError:
    """Torch's "Target 10 is out of bounds." as a message naming the label and the class count.

    Only runs once torch has refused the labels, so reading them here costs the hot path nothing.
    """
    labels = target[target != ignore_index]
    bad = labels[(labels < 0) | (labels >= classes)]
    label = int(bad.flatten()[0]) if bad.numel() else "?"
    return ValueError(
        f"sparse_categorical_crossentropy: label {label} is out of range for y_pred with {classes} classes "
        f"(labels must be 0 to {classes - 1}). If the labels start at 1, subtract 1; if there are more classes, "
        f"give the output layer more units. (torch: {error})"
    )


def sparse_categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, ignore_class: int | None = None, axis: int = -1
) -> torch.Tensor:
    """Returns the per-sample cross-entropy between integer labels and class scores.

    Labels may have shape ``(B,)`` or ``(B, 1)`` (any leading shape works, e.g.
    ``(B, T)`` for sequences) and may be float-typed integers. Uses torch's fused
    ``F.cross_entropy`` for logits. With probabilities, they are normalised over the
    class axis and clipped to ``[eps, 1 - eps]`` before the log, exactly as Keras does.

    Args:
        y_true: integer class labels.
        y_pred: class probabilities, or logits when ``from_logits=True``.
        from_logits: whether ``y_pred`` holds logits.
        ignore_class: a label value whose entries get loss 0 (e.g. padding).
        axis: the class axis of ``y_pred``.

    Example:
        >>> y_pred = torch.tensor([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
        >>> [round(v, 4) for v in sparse_categorical_crossentropy(torch.tensor([1, 2]), y_pred).tolist()]
        [0.0513, 2.3026]
    """
    y_pred = torch.as_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(config.floatx_dtype())
    if y_pred.dim() == 0:
        raise ValueError("sparse_categorical_crossentropy expects `y_pred` of rank >= 1; received a scalar.")
    target = _sparse_labels(y_true, y_pred, axis)
    if y_pred.dim() == 1:
        scores, target = y_pred.unsqueeze(0), target.unsqueeze(0)
    else:
        scores = y_pred.movedim(axis, 1)  # torch wants the class axis at position 1
    ignore_index = _TORCH_IGNORE_INDEX if ignore_class is None else int(ignore_class)
    try:
        if from_logits:
            result = F.cross_entropy(scores, target, reduction="none", ignore_index=ignore_index)
        else:
            eps = config.epsilon()
            probs = torch.clamp(scores / scores.sum(dim=1, keepdim=True), eps, 1.0 - eps)
            result = F.nll_loss(torch.log(probs), target, reduction="none", ignore_index=ignore_index)
    except IndexError as error:  # CPU: "Target 10 is out of bounds."
        raise _out_of_range(error, target, scores.shape[1], ignore_index) from error
    return result.squeeze(0) if y_pred.dim() == 1 else result


class SparseCategoricalCrossentropy(Loss):
    """Cross-entropy between integer labels and predicted class scores.

    The usual loss for single-label classification when targets are class indices
    (``y_true`` of shape ``(B,)`` or ``(B, 1)``), which avoids building one-hot
    targets. String name: ``'sparse_categorical_crossentropy'``.

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
            Defaults to ``False``.
        ignore_class: optional label value to ignore (e.g. padding in segmentation or
            sequence labelling). Ignored entries count neither in the sum nor in the
            denominator of the averaging reductions, as in Keras.
        reduction: see :class:`fitorch.losses.Loss`.
        axis: the class axis of ``y_pred``. Defaults to -1.
        name: defaults to ``'sparse_categorical_crossentropy'``.

    Example:
        >>> loss = SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
        >>> y_pred = torch.tensor([[0.0, 0.0], [0.0, 0.0], [5.0, 0.0]])
        >>> round(float(loss(torch.tensor([1, 0, 0]), y_pred)), 4)
        0.6931
    """

    _config_keys = ("from_logits", "ignore_class", "axis")

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: int | None = None,
        reduction: str | None = "sum_over_batch_size",
        axis: int = -1,
        name: str | None = "sparse_categorical_crossentropy",
    ) -> None:
        super().__init__(name=name, reduction=reduction)
        if ignore_class is not None and (isinstance(ignore_class, bool) or not isinstance(ignore_class, int)):
            raise ValueError(f"`ignore_class` must be an int or None; received ignore_class={ignore_class!r}.")
        self.from_logits = bool(from_logits)
        self.ignore_class = ignore_class
        self.axis = axis

    def fused_mean(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor | None:
        # Logits, (B, C) scores and (B,) int64 labels: torch's fused mean cross-entropy is Keras' value.
        if (
            self.from_logits
            and self.ignore_class is None
            and y_pred.dim() == 2
            and self.axis in (-1, 1)
            and y_true.dtype == torch.int64
            and y_true.dim() == 1
        ):
            try:
                return F.cross_entropy(y_pred, y_true)
            except IndexError as error:
                raise _out_of_range(error, y_true, y_pred.shape[1], _TORCH_IGNORE_INDEX) from error
        return None

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return sparse_categorical_crossentropy(y_true, y_pred, self.from_logits, self.ignore_class, self.axis)

    def compute_mask(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor | None:
        if self.ignore_class is None:
            return None
        return _sparse_labels(y_true, y_pred, self.axis) != self.ignore_class
