"""Thresholded classification metrics: ``Precision``, ``Recall``, the confusion counts and
the "X at fixed Y" family, computed as Keras computes them (see ``confusion_utils``).

All of them are written here rather than taken from ``torchmetrics``: Keras' metrics
take ``sample_weight``, ``top_k`` and ``class_id``, compare ``y_pred > threshold``
with no automatic sigmoid, and fitorch metrics may not read device values in
``update_state`` (torchmetrics' binary metrics check the prediction range on the host
each update).
"""

from __future__ import annotations

from typing import Any

import torch

from fitorch.metrics.confusion_utils import (
    NEG_INF,
    is_evenly_distributed_thresholds,
    parse_init_thresholds,
    update_confusion_counts,
)
from fitorch.metrics.metric import Metric, dtype_name


def divide_no_nan(numerator: torch.Tensor, denominator: torch.Tensor) -> torch.Tensor:
    """``numerator / denominator``, 0 where the denominator is 0 (no host check)."""
    nonzero = denominator != 0
    return torch.where(nonzero, numerator / torch.where(nonzero, denominator, 1), 0)


def register_thresholds(metric: Metric, thresholds: list[float]) -> None:
    """Keeps the thresholds on the metric's device (a non-persistent buffer), for copy-free updates."""
    metric.register_buffer("thresholds_tensor", torch.tensor(thresholds, dtype=metric.dtype), persistent=False)


def _scalar_or_vector(values: torch.Tensor, thresholds: list[float]) -> torch.Tensor:
    return values[0] if len(thresholds) == 1 else values


_STATE_NAMES = {"tp": "true_positives", "fp": "false_positives", "tn": "true_negatives", "fn": "false_negatives"}


class _ThresholdCountsMetric(Metric):
    """Per-threshold confusion counts: one ``(T,)`` state per entry of ``_states`` (count key -> state name)."""

    _states: dict[str, str] = _STATE_NAMES
    top_k: int | None = None
    class_id: int | None = None

    def _add_threshold_counts(self, thresholds: list[float], distributed_evenly: bool | None = None) -> None:
        """Sets the thresholds and adds the count states (``distributed_evenly`` None: Keras' test decides)."""
        self.thresholds = thresholds
        if distributed_evenly is None:
            distributed_evenly = is_evenly_distributed_thresholds(thresholds)
        self._thresholds_distributed_evenly = distributed_evenly
        for state in self._states.values():
            self.add_state(state, shape=(len(thresholds),))
        register_thresholds(self, thresholds)

    def get_config(self) -> dict[str, Any]:
        # Keras' order: the thresholds as given come before the other options.
        config = {"name": self.name, "dtype": dtype_name(self.dtype), "thresholds": self.init_thresholds}
        config.update((key, getattr(self, key)) for key in self._config_keys)
        return config

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        self.follow_device(y_pred)
        update_confusion_counts(
            {key: getattr(self, state) for key, state in self._states.items()}, y_true, y_pred, self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly, top_k=self.top_k,
            class_id=self.class_id, sample_weight=sample_weight, thresholds_tensor=self.thresholds_tensor,
        )  # fmt: skip


class _ConfusionMatrixConditionCount(_ThresholdCountsMetric):
    """One confusion count per threshold (``_states``: its key -> ``'accumulator'``)."""

    def __init__(self, thresholds: float | list[float] | None = None, name: str | None = None,
                 dtype: str | torch.dtype | None = None) -> None:  # fmt: skip
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self._add_threshold_counts(parse_init_thresholds(thresholds, default_threshold=0.5))

    def result(self) -> torch.Tensor:
        return _scalar_or_vector(self.accumulator.clone(), self.thresholds)


class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true positives: ``y_true`` is 1 and ``y_pred > threshold``.

    Args:
        thresholds: one threshold or a list (then the result has one count per
            threshold). Defaults to 0.5.
        name: defaults to ``'true_positives'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = TruePositives()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
        >>> float(m.result())
        1.0
    """

    _states = {"tp": "accumulator"}


class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false positives: ``y_true`` is 0 and ``y_pred > threshold``.

    Args:
        thresholds: one threshold or a list. Defaults to 0.5.
        name: defaults to ``'false_positives'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = FalsePositives()
        >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
        >>> float(m.result())
        2.0
    """

    _states = {"fp": "accumulator"}


class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true negatives: ``y_true`` is 0 and ``y_pred <= threshold``.

    Args:
        thresholds: one threshold or a list. Defaults to 0.5.
        name: defaults to ``'true_negatives'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = TrueNegatives()
        >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    _states = {"tn": "accumulator"}


class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false negatives: ``y_true`` is 1 and ``y_pred <= threshold``.

    Args:
        thresholds: one threshold or a list. Defaults to 0.5.
        name: defaults to ``'false_negatives'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = FalseNegatives()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    _states = {"fn": "accumulator"}


class _PrecisionRecallBase(_ThresholdCountsMetric):
    _direction = "up"
    _config_keys = ("top_k", "class_id")

    def __init__(self, thresholds: float | list[float] | None = None, top_k: int | None = None,
                 class_id: int | None = None, name: str | None = None,
                 dtype: str | torch.dtype | None = None) -> None:  # fmt: skip
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default_threshold = 0.5 if top_k is None else NEG_INF
        self._add_threshold_counts(parse_init_thresholds(thresholds, default_threshold=default_threshold))


class Precision(_PrecisionRecallBase):
    """The precision ``TP / (TP + FP)``: how many predicted positives are positive.

    A prediction is positive when ``y_pred > threshold``. With ``top_k``, only the
    ``k`` highest scores of each row can be positive; with ``class_id``, only that
    column of ``(N, classes)`` inputs counts. Weighted by ``sample_weight``; 0 when
    nothing was predicted positive.

    Args:
        thresholds: one threshold in [0, 1] or a list (then one precision per
            threshold). Defaults to 0.5 (or none with ``top_k``).
        top_k: optional; count only the top-k scores of each row.
        class_id: optional; the class to compute the precision of.
        name: defaults to ``'precision'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = Precision()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
        >>> m = Precision(top_k=2)  # only the two highest scores count as positive
        >>> m.update_state([0, 0, 1, 1], [0.9, 0.8, 0.7, 0.6])
        >>> float(m.result())
        0.0
    """

    _states = {"tp": "true_positives", "fp": "false_positives"}

    def result(self) -> torch.Tensor:
        precision = divide_no_nan(self.true_positives, self.true_positives + self.false_positives)
        return _scalar_or_vector(precision, self.thresholds)


class Recall(_PrecisionRecallBase):
    """The recall ``TP / (TP + FN)``: how many positives are predicted positive.

    Same arguments and rules as :class:`Precision`.

    Args:
        thresholds: one threshold in [0, 1] or a list. Defaults to 0.5 (or none with ``top_k``).
        top_k: optional; count only the top-k scores of each row.
        class_id: optional; the class to compute the recall of.
        name: defaults to ``'recall'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = Recall()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _states = {"tp": "true_positives", "fn": "false_negatives"}

    def result(self) -> torch.Tensor:
        recall = divide_no_nan(self.true_positives, self.true_positives + self.false_negatives)
        return _scalar_or_vector(recall, self.thresholds)


class _SensitivitySpecificityBase(_ThresholdCountsMetric):
    """All four counts at ``num_thresholds`` evenly spaced thresholds in [0, 1].

    The result is the best ``_dependent`` rate among the thresholds whose ``_value_name``
    rate is at least ``value`` (rates: sensitivity = recall, specificity, precision).
    """

    _direction = "up"
    _value_name = "value"
    _dependent: str
    _config_keys = ("class_id", "num_thresholds")

    def __init__(self, value: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: str | torch.dtype | None = None) -> None:  # fmt: skip
        if not 0 <= value <= 1:
            raise ValueError(
                f"Argument `{self._value_name}` must be in the range [0, 1]. Received: {self._value_name}={value}"
            )
        if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) or num_thresholds <= 0:
            raise ValueError(
                f"Argument `num_thresholds` must be an integer > 0. Received: num_thresholds={num_thresholds}"
            )
        super().__init__(name=name, dtype=dtype)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self._add_threshold_counts([0.5], distributed_evenly=False)
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._add_threshold_counts([0.0, *inner, 1.0], distributed_evenly=True)

    def result(self) -> torch.Tensor:
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        recall = divide_no_nan(tp, tp + fn)
        rates = {
            "sensitivity": recall,
            "recall": recall,
            "specificity": divide_no_nan(tn, tn + fp),
            "precision": divide_no_nan(tp, tp + fp),
        }
        feasible = rates[self._value_name] >= self.value
        return torch.where(feasible, rates[self._dependent], 0).max().clamp(min=0)

    def get_config(self) -> dict[str, Any]:
        # No `thresholds` argument here: Metric's config (with `_config_keys`), then the target value.
        return {**Metric.get_config(self), self._value_name: self.value}


class SensitivityAtSpecificity(_SensitivitySpecificityBase):
    """The best sensitivity (recall) among thresholds whose specificity is >= ``specificity``.

    Args:
        specificity: in [0, 1].
        num_thresholds: evenly spaced thresholds to try. Defaults to 200.
        class_id: optional; the class to compute it for.
        name: defaults to ``'sensitivity_at_specificity'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = SensitivityAtSpecificity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> float(m.result())
        0.5
    """

    _value_name = "specificity"
    _dependent = "sensitivity"

    def __init__(self, specificity: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: str | torch.dtype | None = None) -> None:  # fmt: skip
        super().__init__(specificity, num_thresholds, class_id, name, dtype)


class SpecificityAtSensitivity(_SensitivitySpecificityBase):
    """The best specificity among thresholds whose sensitivity (recall) is >= ``sensitivity``.

    Args:
        sensitivity: in [0, 1].
        num_thresholds: evenly spaced thresholds to try. Defaults to 200.
        class_id: optional; the class to compute it for.
        name: defaults to ``'specificity_at_sensitivity'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = SpecificityAtSensitivity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _value_name = "sensitivity"
    _dependent = "specificity"

    def __init__(self, sensitivity: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: str | torch.dtype | None = None) -> None:  # fmt: skip
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)


class PrecisionAtRecall(_SensitivitySpecificityBase):
    """The best precision among thresholds whose recall is >= ``recall``.

    Args:
        recall: in [0, 1].
        num_thresholds: evenly spaced thresholds to try. Defaults to 200.
        class_id: optional; the class to compute it for.
        name: defaults to ``'precision_at_recall'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = PrecisionAtRecall(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> float(m.result())
        0.5
    """

    _value_name = "recall"
    _dependent = "precision"

    def __init__(self, recall: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: str | torch.dtype | None = None) -> None:  # fmt: skip
        super().__init__(recall, num_thresholds, class_id, name, dtype)


class RecallAtPrecision(_SensitivitySpecificityBase):
    """The best recall among thresholds whose precision is >= ``precision``.

    Args:
        precision: in [0, 1].
        num_thresholds: evenly spaced thresholds to try. Defaults to 200.
        class_id: optional; the class to compute it for.
        name: defaults to ``'recall_at_precision'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = RecallAtPrecision(0.8)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> float(m.result())
        0.5
    """

    _value_name = "precision"
    _dependent = "sensitivity"

    def __init__(self, precision: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: str | torch.dtype | None = None) -> None:  # fmt: skip
        super().__init__(precision, num_thresholds, class_id, name, dtype)
