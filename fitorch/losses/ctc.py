"""CTC loss (Connectionist Temporal Classification) in Keras' layout: padded labels and per-step logits."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.losses.loss import Loss

#: Keras' CTC uses class 0 both as the CTC blank and as the padding of ``y_true``.
MASK_INDEX = 0


def ctc(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns the per-sample CTC loss (negative log-likelihood of the label sequence).

    Keras' layout, computed with ``torch.nn.functional.ctc_loss``: class 0 is the
    blank and also pads the labels, so a sample's label length is its number of
    non-zero labels (pad at the end); every sample uses all ``max_time`` steps.

    Args:
        y_true: integer labels of shape ``(batch_size, max_label_length)``, 0-padded.
        y_pred: logits of shape ``(batch_size, max_time, num_classes)`` (a
            ``log_softmax`` is applied here); class 0 is the blank.

    Returns:
        The losses, shape ``(batch_size,)``; ``inf`` where the labels cannot fit in ``max_time`` steps.

    Example:
        >>> y_true = torch.tensor([[1, 2, 0]])
        >>> y_pred = torch.zeros(1, 4, 3)  # uniform over 3 classes at 4 steps
        >>> [round(v, 4) for v in ctc(y_true, y_pred).tolist()]
        [1.6864]
    """
    y_pred = torch.as_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device)
    if y_true.dim() != 2:
        raise ValueError(
            "ctc: targets `y_true` are expected to be a tensor of shape (batch_size, max_length) in integer "
            f"format; received y_true.shape={tuple(y_true.shape)}."
        )
    if y_pred.dim() != 3:
        raise ValueError(
            "ctc: logits `y_pred` are expected to be a tensor of shape (batch_size, max_length, num_classes); "
            f"received y_pred.shape={tuple(y_pred.shape)}."
        )
    if not y_pred.is_floating_point() or y_pred.dtype in (torch.float16, torch.bfloat16):
        y_pred = y_pred.float()  # at least float32, as Keras (and torch's CTC kernels) need
    labels = y_true.long()
    batch_size, max_time = y_pred.shape[0], y_pred.shape[1]
    label_lengths = (labels != MASK_INDEX).sum(dim=-1)
    input_lengths = torch.full((batch_size,), max_time, dtype=torch.long, device=y_pred.device)
    # (B, T, C) -> (T, B, C), torch's layout.
    log_probs = torch.log_softmax(y_pred, dim=-1).transpose(0, 1)
    return F.ctc_loss(log_probs, labels, input_lengths, label_lengths, blank=MASK_INDEX, reduction="none")


class CTC(Loss):
    """CTC loss, for sequence labelling without an alignment (speech, handwriting, OCR).

    ``y_true`` holds 0-padded integer labels ``(batch_size, max_label_length)`` and
    ``y_pred`` per-step logits ``(batch_size, max_time, num_classes)``; class 0 is
    the CTC blank, so real labels are ``1 .. num_classes - 1``. String name: ``'ctc'``.

    Args:
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'ctc'``.

    Example:
        >>> loss = CTC()
        >>> round(float(loss(torch.tensor([[1, 2, 0]]), torch.zeros(1, 4, 3))), 4)
        1.6864
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = "ctc") -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return ctc(y_true, y_pred)
