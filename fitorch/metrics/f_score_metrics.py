"""``FBetaScore`` and ``F1Score``: the harmonic means of precision and recall, per class."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.metrics.metric import LazyStateMetric, check_2d_inputs

_STATES = ("true_positives", "false_positives", "false_negatives", "intermediate_weights")


class FBetaScore(LazyStateMetric):
    """The F-beta score ``(1 + beta^2) * P * R / (beta^2 * P + R)``, per class or averaged.

    For ``(N, classes)`` one-hot or multi-label targets. With ``threshold=None``
    each row's highest score is its positive prediction (multi-class); with a
    threshold, every score above it is (multi-label). Keras' formula, epsilons
    included, weighted by ``sample_weight``. Written here rather than taken from
    ``torchmetrics``, whose F-scores take no sample weights.

    Args:
        average: ``None`` (one score per class, default), ``'micro'`` (pool every
            class), ``'macro'`` (mean over classes) or ``'weighted'`` (mean weighted by
            each class's number of true instances).
        beta: > 0, the weight of recall. Defaults to 1.0.
        threshold: optional, in (0, 1]; see above.
        name: defaults to ``'fbeta_score'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = FBetaScore(beta=2.0, threshold=0.5)
        >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
        ...                [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
        >>> [round(v, 4) for v in m.result().tolist()]
        [0.3846, 0.9091, 0.8333]
    """

    _direction = "up"
    _config_keys = ("average", "beta", "threshold")

    def __init__(
        self,
        average: str | None = None,
        beta: float = 1.0,
        threshold: float | None = None,
        name: str | None = "fbeta_score",
        dtype: str | torch.dtype | None = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', 'weighted'}. "
                f"Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                f"Invalid `beta` argument value. It should be a Python float. Received: beta={beta} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    f"Invalid `threshold` argument value. It should verify 0 < threshold <= 1. Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0

    def _build(self, num_classes: int) -> None:
        shape = () if self.average == "micro" else (num_classes,)
        for state in _STATES:
            self.add_state(state, shape=shape)
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred = torch.as_tensor(y_pred)
        y_true = torch.as_tensor(y_true, device=y_pred.device)
        if not self._built:
            check_2d_inputs("FBetaScore", y_true, y_pred)
            self._build(y_pred.shape[-1])
        self.follow_device(y_pred)
        y_pred, y_true = y_pred.to(self.dtype), y_true.to(self.dtype)
        if self.threshold is None:
            # The row's maximum is its prediction (ties: all of them), unless it is ~0.
            threshold = y_pred.amax(dim=-1, keepdim=True)
            y_pred = (y_pred >= threshold) & (y_pred.abs() > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = y_pred.to(self.dtype)
        weight = None
        if sample_weight is not None:
            weight = torch.as_tensor(sample_weight, device=y_pred.device).to(self.dtype).unsqueeze(1)

        def weighted_sum(values: torch.Tensor) -> torch.Tensor:
            if weight is not None:
                values = values * weight
            return values.sum() if self.axis is None else values.sum(dim=self.axis)

        self.true_positives.add_(weighted_sum(y_pred * y_true))
        self.false_positives.add_(weighted_sum(y_pred * (1 - y_true)))
        self.false_negatives.add_(weighted_sum((1 - y_pred) * y_true))
        self.intermediate_weights.add_(weighted_sum(y_true))

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), dtype=self.dtype, device=self.state_device())
        epsilon = config.epsilon()
        tp = self.true_positives
        precision = tp / (tp + self.false_positives + epsilon)
        recall = tp / (tp + self.false_negatives + epsilon)
        beta_squared = self.beta**2
        mean = (precision * recall) / (beta_squared * precision + recall + epsilon)
        f_score = mean * (1 + beta_squared)
        if self.average == "weighted":
            weights = self.intermediate_weights / (self.intermediate_weights.sum() + epsilon)
            return (f_score * weights).sum()
        if self.average is not None:  # micro, macro
            return f_score.mean()
        return f_score


class F1Score(FBetaScore):
    """The F1 score ``2 * P * R / (P + R)``: :class:`FBetaScore` with ``beta=1``.

    Args:
        average: ``None``, ``'micro'``, ``'macro'`` or ``'weighted'`` (see ``FBetaScore``).
        threshold: optional, in (0, 1]; ``None`` takes each row's top score.
        name: defaults to ``'f1_score'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = F1Score(threshold=0.5, average="macro")
        >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
        ...                [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
        >>> round(float(m.result()), 4)
        0.6556
    """

    _config_keys = ("average", "threshold")  # beta is always 1

    def __init__(
        self,
        average: str | None = None,
        threshold: float | None = None,
        name: str | None = "f1_score",
        dtype: str | torch.dtype | None = None,
    ) -> None:
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)
