"""``AUC``: the area under the ROC or precision-recall curve, Keras' thresholded algorithm."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch import config
from fitorch.metrics.confusion_metrics import divide_no_nan, register_thresholds
from fitorch.metrics.confusion_utils import is_evenly_distributed_thresholds, update_confusion_counts
from fitorch.metrics.metric import LazyStateMetric

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")
_STATES = {"tp": "true_positives", "fp": "false_positives", "tn": "true_negatives", "fn": "false_negatives"}


class AUC(LazyStateMetric):
    """The area under the ROC (or PR) curve, approximated with thresholded confusion counts.

    Keras' algorithm, reproduced exactly: ``num_thresholds`` thresholds
    (``[-eps, 1/(T-1), ..., 1 + eps]``) split the scores; the true/false
    positives/negatives at each threshold give the curve's points, and the area is a
    Riemann sum over them (``'interpolation'``: trapezoids; for the PR curve, Davis &
    Goadrich's interpolation of precision). Scores are expected in [0, 1] (clipped);
    pass ``from_logits=True`` for logits. The counts are streaming device state, so
    the AUC covers every batch seen. Written here rather than taken from
    ``torchmetrics``, whose ROC AUC is computed differently (inclusive thresholds,
    no sample weights) and whose PR curve uses average precision, not this
    interpolation.

    Args:
        num_thresholds: > 1; more thresholds give a finer curve. Defaults to 200.
        curve: ``'ROC'`` (default), ``'PR'`` or ``'PRGAIN'``.
        summation_method: ``'interpolation'`` (default), ``'minoring'`` or ``'majoring'``.
        name: defaults to ``'auc'``.
        dtype: defaults to ``floatx()``.
        thresholds: optional explicit thresholds in [0, 1] (``num_thresholds`` then
            becomes ``len(thresholds) + 2``).
        multi_label: treat each column of ``(N, L)`` inputs as its own label, average
            the per-label AUCs (weighted by ``label_weights``). Defaults to ``False``
            (all entries are pooled).
        num_labels: with ``multi_label``, the number of labels (else read from the
            first batch).
        label_weights: optional per-label weights.
        from_logits: whether ``y_pred`` holds logits. Defaults to ``False``.

    Example:
        >>> m = AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> float(m.result())
        0.75
    """

    _direction = "up"
    # Multi-label states are (thresholds, labels): a loaded state gives the label count on axis 1.
    _size_axis = 1
    _config_keys = ("num_thresholds", "curve", "summation_method", "multi_label", "num_labels", "label_weights")

    def __init__(
        self,
        num_thresholds: int = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name: str | None = None,
        dtype: str | torch.dtype | None = None,
        thresholds: Sequence[float] | None = None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights: Sequence[float] | None = None,
        from_logits: bool = False,
    ) -> None:
        if not isinstance(curve, str) or curve.lower() not in _CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC", "PRGAIN"]')
        if not isinstance(summation_method, str) or summation_method.lower() not in _SUMMATIONS:
            raise ValueError(
                f'Invalid AUC summation method value: "{summation_method}". '
                'Expected values are ["interpolation", "majoring", "minoring"]'
            )
        super().__init__(name=name, dtype=dtype)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            invalid = [t for t in thresholds if t is None or t < 0 or t > 1]
            if invalid:
                raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
            self.num_thresholds = len(thresholds) + 2
            inner = sorted(float(t) for t in thresholds)
            self._thresholds_distributed_evenly = is_evenly_distributed_thresholds([0.0, *inner, 1.0])
        else:
            if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) or num_thresholds <= 1:
                raise ValueError(
                    f"Argument `num_thresholds` must be an integer > 1. Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        epsilon = config.epsilon()
        self._thresholds = [0.0 - epsilon, *inner, 1.0 + epsilon]
        self.curve = _CURVES[curve.lower()]
        self.summation_method = summation_method.lower()
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else [float(w) for w in label_weights]
        self._from_logits = from_logits
        register_thresholds(self, self._thresholds)
        weights = torch.tensor(self.label_weights if self.label_weights is not None else [], dtype=self.dtype)
        self.register_buffer("label_weights_tensor", weights, persistent=False)
        if not multi_label and num_labels:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        if not multi_label:
            self._build(None)
        elif num_labels:
            self._build(num_labels)

    @property
    def thresholds(self) -> list[float]:
        """The thresholds, including the ``-epsilon`` and ``1 + epsilon`` end points."""
        return list(self._thresholds)

    def _build(self, labels: int | None) -> None:
        shape = (self.num_thresholds,) if labels is None else (self.num_thresholds, labels)
        for state in _STATES.values():
            self.add_state(state, shape=shape)
        self._num_labels = labels
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred = torch.as_tensor(y_pred)
        if not self._built:
            if y_pred.dim() != 2:
                raise ValueError(
                    f"`y_pred` must have rank 2 when `multi_label=True`. Found rank {y_pred.dim()}. "
                    f"Full shape received for `y_pred`: {tuple(y_pred.shape)}"
                )
            self._build(y_pred.shape[1])
        self.follow_device(y_pred)
        if self._from_logits:
            y_pred = torch.sigmoid(y_pred)
        label_weights = None
        if self.label_weights is not None and not self.multi_label:
            label_weights = self.label_weights_tensor
        update_confusion_counts(
            {key: getattr(self, state) for key, state in _STATES.items()}, y_true, y_pred, self._thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly, sample_weight=sample_weight,
            multi_label=self.multi_label, label_weights=label_weights, thresholds_tensor=self.thresholds_tensor,
        )  # fmt: skip

    def _average_over_labels(self, by_label: torch.Tensor) -> torch.Tensor:
        if self.label_weights is None:
            return by_label.mean()
        weights = self.label_weights_tensor
        return divide_no_nan((by_label * weights).sum(), weights.sum())

    def interpolate_pr_auc(self) -> torch.Tensor:
        """The PR AUC with Davis & Goadrich's interpolation between thresholds (Keras' formula)."""
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        prec_slope = divide_no_nan(dtp, dp.clamp(min=0))
        intercept = tp[1:] - prec_slope * p[1:]
        safe_p_ratio = torch.where(
            (p[:-1] > 0) & (p[1:] > 0), divide_no_nan(p[:-1], p[1:].clamp(min=0)), torch.ones_like(p[1:])
        )
        increment = divide_no_nan(
            prec_slope * (dtp + intercept * torch.log(safe_p_ratio)), (tp[1:] + fn[1:]).clamp(min=0)
        )
        if self.multi_label:
            return self._average_over_labels(increment.sum(dim=0))
        return increment.sum()

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), dtype=self.dtype, device=self.state_device())
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, divide_no_nan(tp, tp + fp)
        else:  # PRGAIN
            scaling = divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scaling * divide_no_nan(fn, tp)
            precision_gain = 1.0 - scaling * divide_no_nan(fp, tp)
            recall_gain = torch.where(tp == 0, 0.0, recall_gain).clamp(min=0.0)
            precision_gain = torch.where(tp == 0, 1.0, precision_gain)
            x, y = recall_gain, precision_gain
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = torch.minimum(y[:-1], y[1:])
        else:
            heights = torch.maximum(y[:-1], y[1:])
        riemann_terms = (x[:-1] - x[1:]) * heights
        if self.multi_label:
            return self._average_over_labels(riemann_terms.sum(dim=0))
        return riemann_terms.sum()

    def get_config(self) -> dict[str, Any]:
        config_ = {**super().get_config(), "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config_["thresholds"] = self._thresholds[1:-1]
        return config_
