"""A fitorch compile config as Keras' ``compile_config``, when every piece has a Keras equivalent by name.

The optimizer must be one of Keras' optimizer classes with a constant learning
rate and Keras' own arguments; losses and metrics must be Keras names (``"mse"``,
``"accuracy"``) or Keras classes (``SparseCategoricalAccuracy()``). Anything else (a
torch optimizer, a schedule, a custom loss or metric) gives ``None``: the file is
then written without a compile config, and Keras loads the model uncompiled.
"""

from __future__ import annotations

from typing import Any

from torch import nn

from fitorch.saving.compile_state import NotSerializable, _encode_spec, optimizer_config

_OPTIMIZERS = frozenset({"Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lamb", "Lion",
                         "Nadam", "RMSprop", "SGD"})  # fmt: skip
# fitorch optimizer arguments with no Keras counterpart, dropped when they hold these values.
_TORCH_ONLY = {"foreach": None, "fused": None, "capturable": False, "differentiable": False, "maximize": False}
_LOSSES = frozenset({
    "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy",
    "categorical_hinge", "cosine_similarity", "ctc", "dice", "hinge", "huber", "kl_divergence", "kld",
    "log_cosh", "logcosh", "mae", "mape", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_error", "mean_squared_logarithmic_error", "mse", "msle", "poisson",
    "sparse_categorical_crossentropy", "squared_hinge", "tversky",
    "BinaryCrossentropy", "BinaryFocalCrossentropy", "CategoricalCrossentropy", "CategoricalFocalCrossentropy",
    "CategoricalHinge", "CosineSimilarity", "Dice", "Hinge", "Huber", "KLDivergence", "LogCosh",
    "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredError", "MeanSquaredLogarithmicError",
    "Poisson", "SparseCategoricalCrossentropy", "SquaredHinge", "Tversky",
})  # fmt: skip
_METRICS = _LOSSES | frozenset({
    "accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
    "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "root_mean_squared_error", "r2_score",
    "AUC", "Accuracy", "BinaryAccuracy", "BinaryIoU", "CategoricalAccuracy", "F1Score", "FBetaScore", "IoU",
    "Mean", "MeanIoU", "Precision", "R2Score", "Recall", "RootMeanSquaredError", "SparseCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy", "Sum", "TopKCategoricalAccuracy",
})  # fmt: skip


class _NoKerasEquivalent(Exception):
    pass


def _spec(value: Any, names: frozenset[str], module: str) -> Any:
    """A fitorch-encoded loss/metric spec in Keras' form."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        if value not in names:
            raise _NoKerasEquivalent(value)
        return value
    if isinstance(value, list):
        return [_spec(v, names, module) for v in value]
    if isinstance(value, dict) and set(value) == {"dict"}:
        return {k: _spec(v, names, module) for k, v in value["dict"].items()}
    if isinstance(value, dict) and set(value) == {"function_name"}:
        return _spec(value["function_name"], names, module)
    if isinstance(value, dict) and value.get("class_name") in names and "fn" not in (value.get("config") or {}):
        return {"module": module, "class_name": value["class_name"], "config": value.get("config") or {},
                "registered_name": None}  # fmt: skip
    raise _NoKerasEquivalent(value)


def _optimizer(config: Any) -> dict[str, Any]:
    if not isinstance(config, dict) or config.get("class_name") not in _OPTIMIZERS:
        raise _NoKerasEquivalent(config)
    arguments = dict(config.get("config") or {})
    for key, default in _TORCH_ONLY.items():
        if key in arguments and arguments.pop(key) != default:
            raise _NoKerasEquivalent(key)
    if not all(isinstance(v, (bool, int, float, str, type(None))) for v in arguments.values()):
        raise _NoKerasEquivalent(arguments)  # a learning-rate schedule or another object
    arguments.setdefault("name", str(config["class_name"]).lower())
    return {"module": "keras.optimizers", "class_name": config["class_name"], "config": arguments,
            "registered_name": None}  # fmt: skip


def keras_compile_config(model: nn.Module) -> dict[str, Any] | None:
    """Keras' ``compile_config`` for a compiled model, or ``None`` (uncompiled, or a piece Keras lacks)."""
    compiled = getattr(model, "_compile_config", None)
    if compiled is None:
        return None
    try:
        config = {
            "optimizer": optimizer_config(model.optimizer) if model.optimizer is not None else None,
            "loss": _encode_spec(compiled.loss, "loss"),
            "metrics": _encode_spec(compiled.metrics, "metric"),
            "loss_weights": _encode_spec(compiled.loss_weights, "loss weight"),
            "weighted_metrics": _encode_spec(compiled.weighted_metrics, "metric"),
        }
    except (NotSerializable, TypeError):  # a lambda, a torch loss module...: no name Keras could know
        return None
    try:
        return {
            "optimizer": _optimizer(config.get("optimizer")),
            "loss": _spec(config.get("loss"), _LOSSES, "keras.losses"),
            "loss_weights": _spec(config.get("loss_weights"), frozenset(), ""),
            "metrics": _spec(config.get("metrics"), _METRICS, "keras.metrics"),
            "weighted_metrics": _spec(config.get("weighted_metrics"), _METRICS, "keras.metrics"),
            "run_eagerly": False,
            "steps_per_execution": 1,
            "jit_compile": False,
        }
    except _NoKerasEquivalent:
        return None
