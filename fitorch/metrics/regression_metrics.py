"""Regression metrics: streaming means of the per-sample regression errors, RMSE and R2.

Written here rather than taken from ``torchmetrics``: the numbers would agree, but
Keras' regression metrics take ``sample_weight``, which torchmetrics' do not.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.losses.cosine_similarity import cosine_similarity as negative_cosine_similarity
from fitorch.losses.loss import squeeze_or_expand_to_same_rank
from fitorch.losses.mean_absolute_error import mean_absolute_error
from fitorch.losses.mean_absolute_percentage_error import mean_absolute_percentage_error
from fitorch.losses.mean_squared_error import mean_squared_error
from fitorch.losses.mean_squared_logarithmic_error import mean_squared_logarithmic_error
from fitorch.metrics.metric import LazyStateMetric, check_2d_inputs
from fitorch.metrics.reduction_metrics import FixedFunctionMetric, Mean


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> torch.Tensor:
    """Returns the cosine between ``y_true`` and ``y_pred`` along ``axis`` (1: same direction).

    Example:
        >>> values = cosine_similarity(torch.tensor([[0.0, 1.0], [1.0, 1.0]]), torch.tensor([[0.0, 2.0], [-1.0, -1.0]]))
        >>> [round(v, 4) for v in values.tolist()]
        [1.0, -1.0]
    """
    return -negative_cosine_similarity(y_true, y_pred, axis=axis)


def log_cosh(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns ``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed without overflow.

    Example:
        >>> round(float(log_cosh(torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 1.0]]))[0]), 4)
        0.2169
    """
    y_pred = torch.as_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device).to(y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    x = y_pred - y_true
    # log(cosh(x)) = x + softplus(-2x) - log(2)
    return (x + F.softplus(x * -2.0) - math.log(2.0)).mean(dim=-1)


class _RegressionMetric(FixedFunctionMetric):
    """A ``FixedFunctionMetric`` that is minimized."""

    _direction = "down"


class MeanSquaredError(_RegressionMetric):
    """The mean squared error over every sample seen. String names: ``'mse'``, ``'mean_squared_error'``.

    Args:
        name: defaults to ``'mean_squared_error'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = MeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> float(m.result())
        0.25
    """

    def __init__(self, name: str | None = "mean_squared_error", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(mean_squared_error, name, dtype)


class MeanAbsoluteError(_RegressionMetric):
    """The mean absolute error over every sample seen. String names: ``'mae'``, ``'mean_absolute_error'``.

    Args:
        name: defaults to ``'mean_absolute_error'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = MeanAbsoluteError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]], sample_weight=[1, 0])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name: str | None = "mean_absolute_error", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(mean_absolute_error, name, dtype)


class MeanAbsolutePercentageError(_RegressionMetric):
    """The mean absolute percentage error over every sample seen. String names: ``'mape'``.

    Args:
        name: defaults to ``'mean_absolute_percentage_error'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = MeanAbsolutePercentageError()
        >>> m.update_state([[2.0, 4.0]], [[1.0, 4.0]])
        >>> float(m.result())
        25.0
    """

    def __init__(
        self, name: str | None = "mean_absolute_percentage_error", dtype: str | torch.dtype | None = None
    ) -> None:
        super().__init__(mean_absolute_percentage_error, name, dtype)


class MeanSquaredLogarithmicError(_RegressionMetric):
    """The mean squared logarithmic error over every sample seen. String names: ``'msle'``.

    Args:
        name: defaults to ``'mean_squared_logarithmic_error'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = MeanSquaredLogarithmicError()
        >>> m.update_state([[0.0], [0.0]], [[1.0], [0.0]])
        >>> round(float(m.result()), 4)
        0.2402
    """

    def __init__(
        self, name: str | None = "mean_squared_logarithmic_error", dtype: str | torch.dtype | None = None
    ) -> None:
        super().__init__(mean_squared_logarithmic_error, name, dtype)


class RootMeanSquaredError(Mean):
    """The root of the mean squared error over every value seen: ``sqrt(mean((y_pred - y_true)^2))``.

    Sample weights weigh each sample's mean squared error, as in Keras.

    Args:
        name: defaults to ``'root_mean_squared_error'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = RootMeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> float(m.result())
        0.5
    """

    _direction = "down"

    def __init__(self, name: str | None = "root_mean_squared_error", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred = self.as_state_tensor(y_pred)
        y_true = self.as_state_tensor(y_true)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(torch.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self) -> torch.Tensor:
        return torch.sqrt(super().result())


class CosineSimilarity(FixedFunctionMetric):
    """The mean cosine similarity between targets and predictions (1: same direction).

    Args:
        name: defaults to ``'cosine_similarity'``.
        dtype: defaults to ``floatx()``.
        axis: the axis along which the cosine is computed. Defaults to -1.

    Example:
        >>> m = CosineSimilarity()
        >>> m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])
        >>> round(float(m.result()), 4)
        0.5
    """

    _direction = "up"

    def __init__(self, name: str | None = "cosine_similarity", dtype: str | torch.dtype | None = None,
                 axis: int = -1) -> None:  # fmt: skip
        super().__init__(cosine_similarity, name, dtype, axis=axis)


class LogCoshError(_RegressionMetric):
    """The mean logarithm of the hyperbolic cosine of the error (like MSE for small errors, MAE for large).

    Args:
        name: defaults to ``'logcosh'`` (Keras' name).
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = LogCoshError()
        >>> m.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
        >>> round(float(m.result()), 4)
        0.1084
    """

    def __init__(self, name: str | None = "logcosh", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(log_cosh, name, dtype)


class R2Score(LazyStateMetric):
    """The coefficient of determination ``1 - SS_res / SS_tot``, per output and aggregated.

    For ``(N, outputs)`` targets. Streams the sums it needs, so the score covers every
    batch seen. Sample weights weigh each sample (or each value, when shaped like the
    targets).

    Args:
        class_aggregation: ``'uniform_average'`` (default; the mean over outputs),
            ``'variance_weighted_average'`` (weighted by each output's variance) or
            ``None`` (one score per output).
        num_regressors: the number of independent variables, for the adjusted R2;
            0 (default) for the plain R2. When there are too few samples for the
            adjustment, the plain R2 is returned (Keras also warns; fitorch does not
            read the sample count on the host to decide).
        name: defaults to ``'r2_score'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = R2Score()
        >>> m.update_state([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]])
        >>> round(float(m.result()), 4)
        0.5714
    """

    _direction = "up"
    _config_keys = ("class_aggregation", "num_regressors")
    _size_state = "sum"

    def __init__(
        self,
        class_aggregation: str | None = "uniform_average",
        num_regressors: int = 0,
        name: str | None = "r2_score",
        dtype: str | torch.dtype | None = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype)
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of {valid}. "
                f"Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                f"Invalid value for argument `num_regressors`. Expected a value >= 0. Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.add_state("num_samples")

    def _build(self, num_outputs: int) -> None:
        for state in ("squared_sum", "sum", "residual", "count"):
            self.add_state(state, shape=(num_outputs,))
        self._built = True

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred = torch.as_tensor(y_pred)
        self.follow_device(y_pred)
        y_true = self.as_state_tensor(y_true)
        y_pred = self.as_state_tensor(y_pred)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            check_2d_inputs("R2Score", y_true, y_pred)
            self._build(y_pred.shape[-1])
        if sample_weight is None:
            weight = torch.ones_like(y_true)
        else:
            weight = self.as_state_tensor(sample_weight)
            if weight.dim() == 1:
                weight = weight.unsqueeze(1)
            weight = weight.broadcast_to(y_true.shape)
        weighted_y_true = y_true * weight
        self.sum.add_(weighted_y_true.sum(dim=0))
        self.squared_sum.add_((y_true * weighted_y_true).sum(dim=0))
        self.residual.add_(((y_true - y_pred) ** 2 * weight).sum(dim=0))
        self.count.add_(weight.sum(dim=0))
        self.num_samples.add_(y_true.numel())

    def result(self) -> torch.Tensor:
        if not self._built:
            return torch.zeros((), dtype=self.dtype, device=self.state_device())
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        raw_scores = 1 - self.residual / total
        raw_scores = torch.where(torch.isinf(raw_scores), 0.0, raw_scores)
        if self.class_aggregation == "uniform_average":
            r2_score = raw_scores.mean()
        elif self.class_aggregation == "variance_weighted_average":
            r2_score = (total * raw_scores).sum() / total.sum()
        else:
            r2_score = raw_scores
        if self.num_regressors != 0:
            n, p = self.num_samples.to(torch.float32), float(self.num_regressors)
            adjusted = 1.0 - (1.0 - r2_score) * (n - 1.0) / (n - p - 1.0)
            # Keras falls back to the plain score when p >= n - 1 (decided here on the device).
            r2_score = torch.where(p < n - 1, adjusted, r2_score)
        return r2_score
