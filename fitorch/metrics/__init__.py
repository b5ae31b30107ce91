"""Metrics: streaming, on-device Keras metrics as ``torch.nn.Module``s.

Example:
    >>> import torch
    >>> import fitorch
    >>> m = fitorch.metrics.get("sparse_categorical_accuracy")
    >>> m.update_state(torch.tensor([0, 1]), torch.tensor([[0.9, 0.1], [0.8, 0.2]]))
    >>> float(m.result())
    0.5
"""

from fitorch.metrics.accuracy_metrics import Accuracy as Accuracy
from fitorch.metrics.accuracy_metrics import BinaryAccuracy as BinaryAccuracy
from fitorch.metrics.accuracy_metrics import CategoricalAccuracy as CategoricalAccuracy
from fitorch.metrics.accuracy_metrics import SparseCategoricalAccuracy as SparseCategoricalAccuracy
from fitorch.metrics.accuracy_metrics import SparseTopKCategoricalAccuracy as SparseTopKCategoricalAccuracy
from fitorch.metrics.accuracy_metrics import TopKCategoricalAccuracy as TopKCategoricalAccuracy
from fitorch.metrics.accuracy_metrics import accuracy as accuracy
from fitorch.metrics.accuracy_metrics import binary_accuracy as binary_accuracy
from fitorch.metrics.accuracy_metrics import categorical_accuracy as categorical_accuracy
from fitorch.metrics.accuracy_metrics import sparse_categorical_accuracy as sparse_categorical_accuracy
from fitorch.metrics.accuracy_metrics import (
    sparse_top_k_categorical_accuracy as sparse_top_k_categorical_accuracy,
)
from fitorch.metrics.accuracy_metrics import top_k_categorical_accuracy as top_k_categorical_accuracy
from fitorch.metrics.metric import Metric as Metric
from fitorch.metrics.probabilistic_metrics import BinaryCrossentropy as BinaryCrossentropy
from fitorch.metrics.probabilistic_metrics import CategoricalCrossentropy as CategoricalCrossentropy
from fitorch.metrics.probabilistic_metrics import KLDivergence as KLDivergence
from fitorch.metrics.probabilistic_metrics import Poisson as Poisson
from fitorch.metrics.probabilistic_metrics import (
    SparseCategoricalCrossentropy as SparseCategoricalCrossentropy,
)
from fitorch.metrics.reduction_metrics import Mean as Mean
from fitorch.metrics.reduction_metrics import MeanMetricWrapper as MeanMetricWrapper
from fitorch.metrics.reduction_metrics import Sum as Sum
from fitorch.metrics.registry import get as get
from fitorch.metrics.registry import resolve_accuracy as resolve_accuracy
from fitorch.metrics.regression_metrics import MeanAbsoluteError as MeanAbsoluteError
from fitorch.metrics.regression_metrics import MeanAbsolutePercentageError as MeanAbsolutePercentageError
from fitorch.metrics.regression_metrics import MeanSquaredError as MeanSquaredError
from fitorch.metrics.regression_metrics import MeanSquaredLogarithmicError as MeanSquaredLogarithmicError

__all__ = [
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "KLDivergence",
    "Mean",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Metric",
    "Poisson",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "Sum",
    "TopKCategoricalAccuracy",
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "get",
    "resolve_accuracy",
    "sparse_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
]
