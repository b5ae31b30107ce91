"""String names for metrics, ``get``, and the rule that resolves ``'accuracy'``.

Example:
    >>> get("mae")
    MeanAbsoluteError(name='mae')
    >>> resolve_accuracy((32,), (32, 10)).__name__
    'SparseCategoricalAccuracy'
    >>> try:
    ...     get("binary_acuracy")
    ... except ValueError as e:
    ...     print(str(e).splitlines()[0])
    Unknown metric: 'binary_acuracy'. Did you mean 'binary_accuracy' or 'binary_io_u' or 'accuracy'?
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from fitorch import losses
from fitorch.losses.registry import LOSS_FUNCTIONS, lookup
from fitorch.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from fitorch.metrics.auc import AUC
from fitorch.metrics.confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from fitorch.metrics.correlation_metrics import (
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from fitorch.metrics.f_score_metrics import F1Score, FBetaScore
from fitorch.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from fitorch.metrics.iou_metrics import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from fitorch.metrics.metric import Metric
from fitorch.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from fitorch.metrics.reduction_metrics import MeanMetricWrapper
from fitorch.metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    R2Score,
    RootMeanSquaredError,
    log_cosh,
)
from fitorch.metrics.torchmetrics_wrapper import TorchMetricsWrapper, is_torchmetrics_metric
from fitorch.utils.registry import Registry

#: Metric classes by Keras name (snake_case class names and aliases). ``'accuracy'``
#: maps to exact-match ``Accuracy`` here, as in ``keras.metrics.get``; ``compile``
#: resolves ``'accuracy'``/``'acc'`` with :func:`resolve_accuracy` instead.
METRICS = Registry("metric")
#: Per-sample metric functions by name, used to restore a ``MeanMetricWrapper``.
METRIC_FUNCTIONS = Registry("metric function")

_ENTRIES: list[tuple[type[Metric], tuple[str, ...]]] = [
    (Accuracy, ("accuracy",)),
    (BinaryAccuracy, ("binary_accuracy",)),
    (CategoricalAccuracy, ("categorical_accuracy",)),
    (SparseCategoricalAccuracy, ("sparse_categorical_accuracy",)),
    (TopKCategoricalAccuracy, ("top_k_categorical_accuracy",)),
    (SparseTopKCategoricalAccuracy, ("sparse_top_k_categorical_accuracy",)),
    (MeanSquaredError, ("mean_squared_error", "mse")),
    (MeanAbsoluteError, ("mean_absolute_error", "mae")),
    (MeanAbsolutePercentageError, ("mean_absolute_percentage_error", "mape")),
    (MeanSquaredLogarithmicError, ("mean_squared_logarithmic_error", "msle")),
    (BinaryCrossentropy, ("binary_crossentropy", "bce")),
    (CategoricalCrossentropy, ("categorical_crossentropy",)),
    (SparseCategoricalCrossentropy, ("sparse_categorical_crossentropy",)),
    (KLDivergence, ("kl_divergence", "kld")),
    (Poisson, ("poisson",)),
    (RootMeanSquaredError, ("root_mean_squared_error", "rmse")),
    (CosineSimilarity, ("cosine_similarity",)),
    (LogCoshError, ("log_cosh_error", "logcosh")),
    (R2Score, ("r2_score",)),
    (PearsonCorrelation, ("pearson_correlation",)),
    (ConcordanceCorrelation, ("concordance_correlation",)),
    (Hinge, ("hinge",)),
    (SquaredHinge, ("squared_hinge",)),
    (CategoricalHinge, ("categorical_hinge",)),
    (AUC, ("auc",)),
    (Precision, ("precision",)),
    (Recall, ("recall",)),
    (TruePositives, ("true_positives",)),
    (FalsePositives, ("false_positives",)),
    (TrueNegatives, ("true_negatives",)),
    (FalseNegatives, ("false_negatives",)),
    (PrecisionAtRecall, ("precision_at_recall",)),
    (RecallAtPrecision, ("recall_at_precision",)),
    (SensitivityAtSpecificity, ("sensitivity_at_specificity",)),
    (SpecificityAtSensitivity, ("specificity_at_sensitivity",)),
    (F1Score, ("f1_score",)),
    (FBetaScore, ("f_beta_score", "fbeta_score")),
    (IoU, ("io_u",)),
    (BinaryIoU, ("binary_io_u",)),
    (MeanIoU, ("mean_io_u", "mean_iou")),
    (OneHotIoU, ("one_hot_io_u",)),
    (OneHotMeanIoU, ("one_hot_mean_io_u",)),
]
for _cls, _names in _ENTRIES:
    METRICS.register(_names, _cls)

_METRIC_FUNCTIONS: list[Callable[..., torch.Tensor]] = [
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    top_k_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    pearson_correlation,
    concordance_correlation,
    losses.hinge,
    losses.squared_hinge,
    losses.categorical_hinge,
]
for _fn in _METRIC_FUNCTIONS:
    METRIC_FUNCTIONS.register(_fn.__name__, _fn)
for _name in LOSS_FUNCTIONS.names():
    METRIC_FUNCTIONS.register(_name, LOSS_FUNCTIONS.lookup(_name))
METRIC_FUNCTIONS.register(("log_cosh", "logcosh"), log_cosh)

# Keras 2's rule, which Keras 3 dropped: the loss says what kind of labels there are.
_ACCURACY_FOR_LOSS: dict[type[losses.Loss], type[Metric]] = {
    losses.SparseCategoricalCrossentropy: SparseCategoricalAccuracy,
    losses.CategoricalCrossentropy: CategoricalAccuracy,
    losses.BinaryCrossentropy: BinaryAccuracy,
}


def _loss_class(loss: Any) -> type | None:
    if isinstance(loss, str):
        try:
            return lookup(losses.registry.LOSSES, loss)
        except ValueError:
            return None
    if isinstance(loss, type):
        return loss
    return type(loss) if loss is not None else None


def resolve_accuracy(
    y_true_shape: Sequence[int | None], y_pred_shape: Sequence[int | None], loss_name: Any = None
) -> type[Metric]:
    """Returns the accuracy class that ``metrics=['accuracy']`` means for these shapes.

    The loss decides first: sparse categorical cross-entropy means
    ``SparseCategoricalAccuracy``, categorical cross-entropy ``CategoricalAccuracy``,
    binary cross-entropy ``BinaryAccuracy`` (so a multi-label model trained with
    ``'binary_crossentropy'`` gets binary accuracy, as in Keras 2). Otherwise Keras 3's
    shape rule applies: a last prediction axis of 1 means binary; labels with fewer
    axes than the predictions, or a last label axis of 1 against several classes,
    mean sparse categorical; anything else categorical.

    Args:
        y_true_shape: the targets' shape (``None`` for unknown sizes).
        y_pred_shape: the predictions' shape.
        loss_name: the loss, as a name (``'sparse_categorical_crossentropy'``, ``'bce'``,
            ``'BinaryCrossentropy'``), a ``Loss`` instance or class; optional.

    Example:
        >>> resolve_accuracy((32, 3), (32, 3), loss_name="binary_crossentropy").__name__
        'BinaryAccuracy'
        >>> resolve_accuracy((32, 1), (32, 1)).__name__
        'BinaryAccuracy'
    """
    loss_class = _loss_class(loss_name)
    for known_loss, metric in _ACCURACY_FOR_LOSS.items():
        if loss_class is not None and issubclass(loss_class, known_loss):
            return metric
    true_last = y_true_shape[-1] if len(y_true_shape) else None
    pred_last = y_pred_shape[-1] if len(y_pred_shape) else None
    if pred_last == 1:
        return BinaryAccuracy
    if len(y_true_shape) < len(y_pred_shape) or (true_last == 1 and pred_last is not None and pred_last > 1):
        return SparseCategoricalAccuracy
    return CategoricalAccuracy


def get(identifier: Any) -> Metric | None:
    """Returns a :class:`Metric` for a name, class, instance or function.

    Args:
        identifier: a metric name (``'mae'``, ``'sparse_categorical_accuracy'``,
            ``'MeanAbsoluteError'``, case-insensitive), which gives a new instance
            named by that string, as Keras' ``compile`` names it in the logs; a
            ``Metric`` (returned as is); a ``torchmetrics.Metric`` (wrapped in a
            :class:`TorchMetricsWrapper`); a ``Metric`` subclass (instantiated with
            its defaults); or a function ``fn(y_true, y_pred)`` returning per-sample
            values (or a fitorch ``Loss``), wrapped in a :class:`MeanMetricWrapper`
            named ``fn.__name__``. ``None`` gives ``None``.

    Raises:
        ValueError: for an unknown name; the message suggests close names.
        TypeError: for anything else.
    """
    if identifier is None or isinstance(identifier, Metric):
        return identifier
    if is_torchmetrics_metric(identifier):
        return TorchMetricsWrapper(identifier)
    if isinstance(identifier, str):
        cls = lookup(METRICS, identifier)
        try:
            return cls(name=identifier)
        except TypeError as error:
            raise TypeError(
                f"Metric {identifier!r} needs arguments ({error}); pass an instance instead, "
                f"e.g. fitorch.metrics.{cls.__name__}(...)."
            ) from None
    if isinstance(identifier, type):
        if issubclass(identifier, Metric):
            return identifier()
    elif callable(identifier):
        return MeanMetricWrapper(identifier)
    raise TypeError(
        "Could not interpret the `metric` argument: expected a metric name such as 'mae', a "
        "fitorch.metrics.Metric instance or subclass, or a function fn(y_true, y_pred); "
        f"received metric={identifier!r} of type {type(identifier).__name__}."
    )


def serialize(metric: Any) -> Any:
    """Returns Keras' plain-data description of a metric or metric function.

    Args:
        metric: a :class:`Metric` (``{'module', 'class_name', 'config', 'registered_name'}``)
            or a built-in or registered metric function (stored by name).

    Returns:
        The config that :func:`deserialize` (or Keras' ``keras.metrics.deserialize``) reverses.

    Raises:
        TypeError: for a lambda or an object without ``get_config()``.

    Example:
        >>> serialize(Hinge())
        {'module': 'keras.metrics', 'class_name': 'Hinge', 'config': {'name': 'hinge', 'dtype': 'float32'}, 'registered_name': None}
    """
    from fitorch.utils.serialization_lib import serialize_keras_object

    return serialize_keras_object(metric)


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """Rebuilds a metric or metric function from :func:`serialize`'s (or Keras') output.

    Args:
        config: a serialized metric or function; or a metric name (``'mae'``,
            ``'Hinge'``), which gives that metric class with its default arguments,
            as in Keras.
        custom_objects: your classes and functions by name.

    Returns:
        A :class:`Metric` instance, or a metric function.

    Raises:
        ValueError: for an unknown metric name (the message suggests close names).
        TypeError: for an unknown class or function, or a malformed config.

    Example:
        >>> deserialize(serialize(PearsonCorrelation(axis=0))).get_config()
        {'name': 'pearson_correlation', 'dtype': 'float32', 'axis': 0}
        >>> deserialize("hinge")
        Hinge(name='hinge')
    """
    from fitorch.utils.serialization_lib import deserialize_keras_object

    if isinstance(config, str) and (custom_objects is None or config not in custom_objects):
        return lookup(METRICS, config)()
    return deserialize_keras_object(config, custom_objects=custom_objects)
