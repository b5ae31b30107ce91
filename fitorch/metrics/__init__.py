"""Metrics: streaming, on-device Keras metrics as ``torch.nn.Module``s.

Example:
    >>> import torch
    >>> import fitorch
    >>> m = fitorch.metrics.get("sparse_categorical_accuracy")
    >>> m.update_state(torch.tensor([0, 1]), torch.tensor([[0.9, 0.1], [0.8, 0.2]]))
    >>> float(m.result())
    0.5
"""

# keras.metrics re-exports the loss functions (the same objects as in fitorch.losses).
from fitorch.losses import binary_crossentropy as binary_crossentropy
from fitorch.losses import binary_focal_crossentropy as binary_focal_crossentropy
from fitorch.losses import categorical_crossentropy as categorical_crossentropy
from fitorch.losses import categorical_focal_crossentropy as categorical_focal_crossentropy
from fitorch.losses import categorical_hinge as categorical_hinge
from fitorch.losses import hinge as hinge
from fitorch.losses import huber as huber
from fitorch.losses import kl_divergence as kl_divergence
from fitorch.losses import mean_absolute_error as mean_absolute_error
from fitorch.losses import mean_absolute_percentage_error as mean_absolute_percentage_error
from fitorch.losses import mean_squared_error as mean_squared_error
from fitorch.losses import mean_squared_logarithmic_error as mean_squared_logarithmic_error
from fitorch.losses import poisson as poisson
from fitorch.losses import sparse_categorical_crossentropy as sparse_categorical_crossentropy
from fitorch.losses import squared_hinge as squared_hinge
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
from fitorch.metrics.auc import AUC as AUC
from fitorch.metrics.confusion_metrics import FalseNegatives as FalseNegatives
from fitorch.metrics.confusion_metrics import FalsePositives as FalsePositives
from fitorch.metrics.confusion_metrics import Precision as Precision
from fitorch.metrics.confusion_metrics import PrecisionAtRecall as PrecisionAtRecall
from fitorch.metrics.confusion_metrics import Recall as Recall
from fitorch.metrics.confusion_metrics import RecallAtPrecision as RecallAtPrecision
from fitorch.metrics.confusion_metrics import SensitivityAtSpecificity as SensitivityAtSpecificity
from fitorch.metrics.confusion_metrics import SpecificityAtSensitivity as SpecificityAtSensitivity
from fitorch.metrics.confusion_metrics import TrueNegatives as TrueNegatives
from fitorch.metrics.confusion_metrics import TruePositives as TruePositives
from fitorch.metrics.correlation_metrics import ConcordanceCorrelation as ConcordanceCorrelation
from fitorch.metrics.correlation_metrics import PearsonCorrelation as PearsonCorrelation
from fitorch.metrics.correlation_metrics import concordance_correlation as concordance_correlation
from fitorch.metrics.correlation_metrics import pearson_correlation as pearson_correlation
from fitorch.metrics.f_score_metrics import F1Score as F1Score
from fitorch.metrics.f_score_metrics import FBetaScore as FBetaScore
from fitorch.metrics.hinge_metrics import CategoricalHinge as CategoricalHinge
from fitorch.metrics.hinge_metrics import Hinge as Hinge
from fitorch.metrics.hinge_metrics import SquaredHinge as SquaredHinge
from fitorch.metrics.iou_metrics import BinaryIoU as BinaryIoU
from fitorch.metrics.iou_metrics import IoU as IoU
from fitorch.metrics.iou_metrics import MeanIoU as MeanIoU
from fitorch.metrics.iou_metrics import OneHotIoU as OneHotIoU
from fitorch.metrics.iou_metrics import OneHotMeanIoU as OneHotMeanIoU
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
from fitorch.metrics.registry import deserialize as deserialize
from fitorch.metrics.registry import get as get
from fitorch.metrics.registry import resolve_accuracy as resolve_accuracy
from fitorch.metrics.registry import serialize as serialize
from fitorch.metrics.regression_metrics import CosineSimilarity as CosineSimilarity
from fitorch.metrics.regression_metrics import LogCoshError as LogCoshError
from fitorch.metrics.regression_metrics import MeanAbsoluteError as MeanAbsoluteError
from fitorch.metrics.regression_metrics import MeanAbsolutePercentageError as MeanAbsolutePercentageError
from fitorch.metrics.regression_metrics import MeanSquaredError as MeanSquaredError
from fitorch.metrics.regression_metrics import MeanSquaredLogarithmicError as MeanSquaredLogarithmicError
from fitorch.metrics.regression_metrics import R2Score as R2Score
from fitorch.metrics.regression_metrics import RootMeanSquaredError as RootMeanSquaredError
from fitorch.metrics.regression_metrics import cosine_similarity as cosine_similarity
from fitorch.metrics.regression_metrics import log_cosh as log_cosh
from fitorch.metrics.torchmetrics_wrapper import TorchMetricsWrapper as TorchMetricsWrapper

__all__ = [
    "AUC",
    "Accuracy",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "BinaryIoU",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "ConcordanceCorrelation",
    "CosineSimilarity",
    "F1Score",
    "FBetaScore",
    "FalseNegatives",
    "FalsePositives",
    "Hinge",
    "IoU",
    "KLDivergence",
    "LogCoshError",
    "Mean",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanIoU",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Metric",
    "OneHotIoU",
    "OneHotMeanIoU",
    "PearsonCorrelation",
    "Poisson",
    "Precision",
    "PrecisionAtRecall",
    "R2Score",
    "Recall",
    "RecallAtPrecision",
    "RootMeanSquaredError",
    "SensitivityAtSpecificity",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "SpecificityAtSensitivity",
    "SquaredHinge",
    "Sum",
    "TopKCategoricalAccuracy",
    "TorchMetricsWrapper",
    "TrueNegatives",
    "TruePositives",
    "accuracy",
    "binary_accuracy",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_accuracy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "concordance_correlation",
    "cosine_similarity",
    "deserialize",
    "get",
    "hinge",
    "huber",
    "kl_divergence",
    "log_cosh",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "pearson_correlation",
    "poisson",
    "resolve_accuracy",
    "serialize",
    "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy",
    "squared_hinge",
    "top_k_categorical_accuracy",
]
