"""Regression metrics: streaming means of the per-sample regression losses."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.losses.mean_absolute_error import mean_absolute_error
from fitorch.losses.mean_absolute_percentage_error import mean_absolute_percentage_error
from fitorch.losses.mean_squared_error import mean_squared_error
from fitorch.losses.mean_squared_logarithmic_error import mean_squared_logarithmic_error
from fitorch.metrics.metric import dtype_name
from fitorch.metrics.reduction_metrics import MeanMetricWrapper


class _RegressionMetric(MeanMetricWrapper):
    """A ``MeanMetricWrapper`` whose config is just ``name`` and ``dtype``."""

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": dtype_name(self.dtype)}


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

    def __init__(
        self, name: str | None = "mean_squared_error", dtype: str | torch.dtype | None = None
    ) -> None:
        super().__init__(mean_squared_error, name=name, dtype=dtype)


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

    def __init__(
        self, name: str | None = "mean_absolute_error", dtype: str | torch.dtype | None = None
    ) -> None:
        super().__init__(mean_absolute_error, name=name, dtype=dtype)


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
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)


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
        super().__init__(mean_squared_logarithmic_error, name=name, dtype=dtype)
