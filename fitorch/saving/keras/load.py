"""Whole Keras files into fitorch models: ``.keras`` archives, legacy ``.h5`` models, ``.weights.h5`` weights.

A config is translated (:mod:`fitorch.saving.keras.config`) and rebuilt under the same
guards as a ``.fitorch`` file: classes only from the registry, ``Lambda`` refused in safe
mode, the allocation budget and the side-effect guard. Safe mode is never skipped for a
Keras file (CVE-2025-9905). Weights are then read in full and checked before any is
copied (:mod:`fitorch.saving.keras.weights`).
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Mapping
from typing import Any

import torch
from torch import nn

from fitorch.saving import guard, limits, safe_json
from fitorch.saving.errors import UnsafeModelError
from fitorch.saving.keras import weights
from fitorch.saving.keras.config import plain, translate
from fitorch.saving.keras.hdf5 import H5Reader, refusing_malformed
from fitorch.saving.serialization import Deserializer

KERAS_WEIGHTS = "model.weights.h5"
KERAS_MEMBERS = {
    "config.json": limits.MAX_JSON_BYTES,
    "metadata.json": limits.MAX_METADATA_BYTES,
    KERAS_WEIGHTS: 1 << 46,
}
_OPTIMIZER_DEFAULTS: dict[str, Any] = {
    "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}  # fmt: skip


def load_keras_weights(model: nn.Module, path: str, skip_mismatch: bool = False) -> None:
    """Loads a Keras 3 ``.weights.h5`` file (or a legacy Keras ``.h5`` model's weights) into ``model``.

    Everything is read and checked before anything is copied: a malformed file raises
    ``UnsafeModelError`` and a file that does not fit raises ``ValueError`` listing every
    misfit, and in both cases the model keeps its weights. Layers of a ``.weights.h5``
    are matched the way Keras 3 names them in the file (per class, in ``model.layers``
    order); those of a legacy ``.h5`` by layer name.
    """
    what = repr(path)
    layers = getattr(model, "layers", None)
    if layers is None:
        raise ValueError(f"Model {type(model).__name__} has no layers list to match a Keras weights file against.")
    with H5Reader(path, os.path.getsize(path), what) as reader, refusing_malformed(what):
        problems: list[str] = []
        if "model_weights" in reader.root or "layer_names" in reader.root.attrs:
            plan, problems = weights.plan_legacy(reader, model)
        else:
            plan = []
            group = reader.child(reader.root, "layers", "group", required=False)
            if group is None or not reader.keys(group):
                raise UnsafeModelError(f"{what} holds no layers; it is not a Keras weights file.")
            weights.plan_from_model(reader, weights.keras_ordered_layers(model), group, plan)
    weights.apply(plan, what, skip_mismatch, problems)


def _keras_compile(model: nn.Module, config: Any, deserializer: Deserializer) -> None:
    """Compiles with a Keras compile config where fitorch has every piece; otherwise warns and leaves it."""
    from fitorch import optimizers
    from fitorch.saving.compile_state import _decode_spec

    try:
        if not isinstance(config, dict):
            return
        optimizer = config.get("optimizer", config.get("optimizer_config"))
        plain_optimizer = plain(optimizer, "the Keras optimizer") if isinstance(optimizer, dict) else optimizer
        if isinstance(plain_optimizer, dict):
            cls = optimizers.registry.OPTIMIZERS.lookup(str(plain_optimizer["class_name"]).lower())
            arguments = {k: v for k, v in (plain_optimizer.get("config") or {}).items() if k != "name"}
            arguments = {
                k: v for k, v in arguments.items() if not (k in _OPTIMIZER_DEFAULTS and v == _OPTIMIZER_DEFAULTS[k])
            }
            optimizer = cls(**arguments)

        def spec(value: Any, kind: str) -> Any:
            return _decode_spec(plain(value, "the Keras compile config"), kind, deserializer.custom_objects)

        model.compile(
            optimizer=optimizer or "rmsprop",
            loss=spec(config.get("loss"), "loss"),
            metrics=spec(config.get("metrics"), "metric"),
            loss_weights=config.get("loss_weights"),
            weighted_metrics=spec(config.get("weighted_metrics"), "metric"),
        )
    except UnsafeModelError:
        raise
    except Exception as error:  # a Keras loss or optimizer fitorch does not have: load uncompiled
        warnings.warn(
            f"The Keras compile config was not restored ({error}); call compile() yourself.", UserWarning, stacklevel=4
        )


def _rebuild(keras_config: Any, deserializer: Deserializer, size: int, what: str) -> nn.Module:
    """Translates a Keras model config and rebuilds it under the same guards as a ``.fitorch`` file."""
    entry = translate(keras_config, deserializer.custom_objects)
    budget = limits.ALLOCATION_FACTOR * size + limits.SMALL_MEMBER_BYTES + limits.ALLOCATION_SLACK_BYTES
    with torch.random.fork_rng(devices=[]), guard.AllocationBudget(budget, what):
        with guard.guarded(deserializer.safe_mode) as refused:
            model = deserializer.module(entry, "the Keras model")
        guard.raise_if_refused(refused)
    return model


def load_keras_archive(
    path: str,
    members: Mapping[str, bytearray],
    deserializer: Deserializer,
    compile: bool,  # noqa: A002
) -> nn.Module:
    """A ``.keras`` file (already read): config.json translated and rebuilt, then its weights, all or nothing."""
    what = repr(path)
    config = safe_json.loads(members["config.json"], f"{what}: config.json")
    model = _rebuild(config, deserializer, os.path.getsize(path), what)
    if KERAS_WEIGHTS in members:
        data = members[KERAS_WEIGHTS]
        plan: weights.Plan = []
        with H5Reader(io.BytesIO(bytes(data)), len(data), what) as reader, refusing_malformed(what):
            group = reader.child(reader.root, "layers", "group", required=False)
            weights.plan_from_config(reader, model, config["config"]["layers"], group, plan)
        weights.apply(plan, what, skip_mismatch=False)
    if compile and config.get("compile_config"):
        _keras_compile(model, config["compile_config"], deserializer)
    return model


def load_legacy_h5(path: str, deserializer: Deserializer, compile: bool) -> nn.Module:  # noqa: A002
    """A legacy Keras ``.h5`` model: the ``model_config`` attribute translated and rebuilt, then its weights."""
    what = repr(path)
    size = os.path.getsize(path)
    with H5Reader(path, size, what) as reader:
        with refusing_malformed(what):
            raw = reader.text("model_config")
            training = reader.text("training_config")
        if raw is None:
            raise UnsafeModelError(
                f"{what} holds no model config; it is a weights file. Build the model and call model.load_weights()."
            )
        config = safe_json.loads(raw, f"{what}: model_config")
        model = _rebuild(config, deserializer, size, what)
        with refusing_malformed(what):
            plan, problems = weights.plan_legacy(reader, model)
    weights.apply(plan, what, skip_mismatch=False, problems=problems)
    if compile and training is not None:
        _keras_compile(model, safe_json.loads(training, f"{what}: training_config"), deserializer)
    return model
