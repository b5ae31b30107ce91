"""Categorical focal cross-entropy: categorical cross-entropy that focuses on hard examples."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.losses.categorical_crossentropy import categorical_targets
from fitorch.losses.loss import BaseCrossentropy, number_argument


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> torch.Tensor:
    """Returns the per-sample categorical focal cross-entropy, summed over the class ``axis``.

    Per class: ``-alpha * (1 - p) ** gamma * y * log(p)``, where ``p`` are the
    predictions (softmax of logits) divided by their sum and clipped to ``[eps, 1 - eps]``.

    Args:
        y_true: one-hot or soft targets, the same shape as ``y_pred``.
        y_pred: probabilities, or logits when ``from_logits=True``.
        alpha: a weight for every class.
        gamma: the focusing parameter; 0 with ``alpha=1`` gives categorical cross-entropy.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in ``[0, 1]``; targets become ``y * (1 - s) + s / num_classes``.
        axis: the class axis.

    Example:
        >>> y_true = torch.tensor([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
        >>> y_pred = torch.tensor([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
        >>> [round(v, 4) for v in categorical_focal_crossentropy(y_true, y_pred).tolist()]
        [0.0, 0.4663]
    """
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"categorical_focal_crossentropy: `axis` must be an int; received axis={axis!r}.")
    y_true, y_pred = categorical_targets("categorical_focal_crossentropy", y_true, y_pred, label_smoothing, axis)
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    eps = config.epsilon()
    probs = torch.clamp(y_pred / y_pred.sum(dim=axis, keepdim=True), eps, 1.0 - eps)
    focal_cce = -alpha * torch.pow(1.0 - probs, gamma) * y_true * torch.log(probs)
    return focal_cce.sum(dim=axis)


class CategoricalFocalCrossentropy(BaseCrossentropy):
    """Categorical focal cross-entropy, for multi-class problems with strong class imbalance.

    The factor ``alpha * (1 - p) ** gamma`` shrinks the loss of confidently right
    predictions (Lin et al., 2017). Targets are one-hot. String name:
    ``'categorical_focal_crossentropy'``.

    Args:
        alpha: a weight for every class, >= 0. Defaults to 0.25.
        gamma: the focusing parameter, >= 0. Defaults to 2.0.
        from_logits: whether ``y_pred`` holds logits. Defaults to ``False``.
        label_smoothing: in ``[0, 1]``; 0.1 moves each target 10% towards uniform.
        axis: the class axis. Defaults to -1.
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'categorical_focal_crossentropy'``.

    Example:
        >>> loss = CategoricalFocalCrossentropy(from_logits=True)
        >>> round(float(loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.0, 0.0]]))), 4)
        0.0433
    """

    _fn = staticmethod(categorical_focal_crossentropy)
    _config_keys = (*BaseCrossentropy._config_keys, "alpha", "gamma")

    def __init__(
        self,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "categorical_focal_crossentropy",
    ) -> None:
        super().__init__(from_logits, label_smoothing, axis, reduction, name)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"CategoricalFocalCrossentropy: `axis` must be an int; received axis={axis!r}.")
        self.alpha = number_argument("CategoricalFocalCrossentropy", "alpha", alpha, non_negative=True)
        self.gamma = number_argument("CategoricalFocalCrossentropy", "gamma", gamma, non_negative=True)
