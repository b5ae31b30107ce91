"""Binary focal cross-entropy: binary cross-entropy down-weighted on examples the model already gets right."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.losses.binary_crossentropy import clipped_binary_crossentropy
from fitorch.losses.loss import BaseCrossentropy, cast_to_prediction, number_argument


def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Returns the per-sample binary focal cross-entropy, averaged over ``axis``.

    Per element: ``(1 - p_t) ** gamma * bce`` with ``p_t = y * p + (1 - y) * (1 - p)``,
    times ``y * alpha + (1 - y) * (1 - alpha)`` when ``apply_class_balancing``
    (Lin et al., 2017). As in Keras, logits pass through a sigmoid first and the
    cross-entropy uses probabilities clipped to ``[eps, 1 - eps]``.

    Args:
        y_true: targets in ``[0, 1]``.
        y_pred: probabilities, or logits when ``from_logits=True``.
        apply_class_balancing: whether to weigh positives by ``alpha`` and negatives by ``1 - alpha``.
        alpha: the class-balancing weight of the positive class.
        gamma: the focusing parameter; 0 gives plain binary cross-entropy.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in ``[0, 1]``; targets move towards 0.5 by this amount.
        axis: the axis to average over.

    Example:
        >>> y_true = torch.tensor([[0.0, 1.0], [0.0, 0.0]])
        >>> y_pred = torch.tensor([[0.6, 0.4], [0.4, 0.6]])
        >>> [round(v, 4) for v in binary_focal_crossentropy(y_true, y_pred, gamma=2.0).tolist()]
        [0.3299, 0.2058]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    probs = torch.sigmoid(y_pred) if from_logits else y_pred
    bce = clipped_binary_crossentropy(y_true, probs)
    p_t = y_true * probs + (1.0 - y_true) * (1.0 - probs)
    focal_bce = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal_bce
    return focal_bce.mean(dim=axis)


class BinaryFocalCrossentropy(BaseCrossentropy):
    """Binary focal cross-entropy, for binary or multi-label problems with many easy negatives.

    The focal factor ``(1 - p_t) ** gamma`` shrinks the loss of well-classified
    examples, so training concentrates on hard ones (dense object detection, strong
    class imbalance). String name: ``'binary_focal_crossentropy'``.

    Args:
        apply_class_balancing: whether to weigh positives by ``alpha`` and negatives by
            ``1 - alpha``. Defaults to ``False``.
        alpha: the positive-class weight used with ``apply_class_balancing``. Defaults to 0.25.
        gamma: the focusing parameter, >= 0. Defaults to 2.0.
        from_logits: whether ``y_pred`` holds logits. Defaults to ``False``.
        label_smoothing: in ``[0, 1]``; targets move towards 0.5 by this amount.
        axis: the axis averaged over. Defaults to -1.
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'binary_focal_crossentropy'``.

    Example:
        >>> loss = BinaryFocalCrossentropy(gamma=2.0, from_logits=True)
        >>> round(float(loss(torch.tensor([[1.0], [0.0]]), torch.tensor([[2.0], [-1.0]]))), 4)
        0.0122
    """

    _fn = staticmethod(binary_focal_crossentropy)
    _config_keys = (*BaseCrossentropy._config_keys, "apply_class_balancing", "alpha", "gamma")

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "binary_focal_crossentropy",
    ) -> None:
        super().__init__(from_logits, label_smoothing, axis, reduction, name)
        self.apply_class_balancing = bool(apply_class_balancing)
        self.alpha = number_argument("BinaryFocalCrossentropy", "alpha", alpha, non_negative=True)
        self.gamma = number_argument("BinaryFocalCrossentropy", "gamma", gamma, non_negative=True)
