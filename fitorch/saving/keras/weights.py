"""Keras weights into fitorch layers, all or nothing.

Loading has two phases. The first reads every array the file holds for the model and
pairs it with its layer (a *plan*); a malformed file fails here, before any weight
changes. The second checks every pair against the layer's ``get_weights()`` shapes,
reports every misfit at once, and only then copies, through ``Layer.set_weights``
(which takes Keras layout).

Layers are found the way Keras 3 itself files them in ``model.weights.h5``: under
``layers/<snake_case class name>``, numbered per class (``dense``, ``dense_1``, ...) in
the order of the Keras model's ``layers``, which is the order of the layers in the
file's own config. Only a bare ``.weights.h5`` (no config) falls back to the fitorch
model's own layer order.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from torch import nn

from fitorch.saving.errors import UnsafeModelError, quote
from fitorch.saving.keras.hdf5 import MAX_DEPTH, H5Reader
from fitorch.saving.serialization import check_layer_name
from fitorch.utils.naming import to_snake_case

#: ``(layer, arrays)`` pairs: what loading will copy, once every pair is checked.
Plan = list[tuple[nn.Module, list[np.ndarray]]]
# Where Keras 3 keeps a layer's weights in sub-objects, in the order its get_weights() lists them:
# recurrent layers in their cell, wrappers in their inner layers, attention in its projections.
_CHILD_ORDER = ("cell", "forward_layer", "backward_layer", "layer", "query_dense", "key_dense", "value_dense",
                "output_dense")  # fmt: skip
_MODEL_CLASSES = ("Functional", "Model", "Sequential")


def keras_save_names(class_names: Sequence[str]) -> list[str]:
    """The names Keras 3 files layers under in a weights file: snake_case class name, numbered per class.

    Example:
        >>> keras_save_names(["InputLayer", "Dense", "BatchNormalization", "Dense"])
        ['input_layer', 'dense', 'batch_normalization', 'dense_1']
    """
    used: dict[str, int] = {}
    names = []
    for class_name in class_names:
        base = to_snake_case(class_name)
        used[base] = used.get(base, -1) + 1
        names.append(base if used[base] == 0 else f"{base}_{used[base]}")
    return names


def is_keras_op(entry: Any) -> bool:
    """True for a ``keras.ops`` node of a functional config: an operation, not a layer, so never in a weights file.

    A ``.keras`` config names the op's module (``keras.src.ops.numpy``). A legacy ``.h5``
    config names no module; there an op is told apart by its config, which holds none
    of the ``trainable``/``dtype`` entries every Keras layer's config has.
    """
    if not isinstance(entry, dict):
        return False
    module = entry.get("module")
    if module is not None:
        return isinstance(module, str) and module.startswith(("keras.src.ops.", "keras.ops"))
    config = entry.get("config")
    if entry.get("class_name") == "InputLayer" or not isinstance(config, dict) or {"trainable", "dtype"} & set(config):
        return False
    from fitorch import ops

    try:
        ops.get_op(to_snake_case(str(entry.get("class_name"))))
    except (ValueError, KeyError, TypeError):
        return False
    return True


def _layers_by_name(model: nn.Module) -> dict[str, nn.Module]:
    from fitorch.graph.node import module_name

    return {module_name(layer): layer for layer in getattr(model, "layers", [])}


def layer_vars(reader: H5Reader, group: Any, depth: int = 0) -> list[np.ndarray]:
    """A layer group's variables (``vars/0``, ``vars/1`` ...), then its sub-objects', in Keras order."""
    if group is None:
        return []
    if depth > MAX_DEPTH:
        raise UnsafeModelError(f"{reader.what}: groups nest deeper than {MAX_DEPTH} levels at {quote(group.name)}.")
    arrays = []
    variables = reader.child(group, "vars", "group", required=False)
    if variables is not None:
        keys = reader.keys(variables)
        if sorted(int(k) if k.isdigit() else -1 for k in keys) != list(range(len(keys))):
            raise UnsafeModelError(
                f"{reader.what}: unexpected variable names {quote(keys[:10])} in {quote(variables.name)}."
            )
        arrays = [reader.read(reader.child(variables, str(i), "dataset")) for i in range(len(keys))]
    for child in _CHILD_ORDER:
        arrays.extend(layer_vars(reader, reader.child(group, child, "group", required=False), depth + 1))
    return arrays


def plan_from_config(
    reader: H5Reader, model: nn.Module, keras_layers: list[Any], group: Any, plan: Plan, depth: int = 0
) -> None:
    """Pairs ``model``'s layers with the file's groups, naming them in the Keras config's layer order."""
    if depth > MAX_DEPTH:
        raise UnsafeModelError(f"{reader.what}: models nest deeper than {MAX_DEPTH} levels.")
    by_name = _layers_by_name(model)
    entries = [entry for entry in keras_layers if isinstance(entry, dict) and not is_keras_op(entry)]
    save_names = keras_save_names([str(entry.get("class_name")) for entry in entries])
    for entry, save_name in zip(entries, save_names, strict=True):
        config = entry.get("config") if isinstance(entry.get("config"), dict) else {}
        name = entry.get("name", config.get("name"))
        target = by_name.get(name)
        child = reader.child(group, save_name, "group", required=False) if group is not None else None
        if entry.get("class_name") in _MODEL_CLASSES and isinstance(config.get("layers"), list):
            if target is None:
                raise UnsafeModelError(f"{reader.what}: the model has no nested model named {quote(name)}.")
            inner = reader.child(child, "layers", "group", required=False) if child is not None else None
            plan_from_config(reader, target, config["layers"], inner, plan, depth + 1)
            continue
        arrays = layer_vars(reader, child)
        if target is not None:
            plan.append((target, arrays))
        elif arrays:  # fitorch drops Keras layers that only compute masks; those hold no weights
            raise UnsafeModelError(f"{reader.what}: the file holds weights for layer {quote(name)}, which is unused.")


def keras_ordered_layers(model: nn.Module) -> list[nn.Module]:
    """A model's layers in the order Keras numbers a ``.weights.h5``'s groups (each shared layer once)."""
    from fitorch.models.functional import Functional
    from fitorch.models.sequential import Sequential
    from fitorch.saving.keras_export.config import keras_layer_order

    if isinstance(model, Functional) and not isinstance(model, Sequential):
        return keras_layer_order(model)
    return list(model.layers)


def plan_from_model(reader: H5Reader, layers: list[nn.Module], group: Any, plan: Plan, depth: int = 0) -> None:
    """Pairs a fitorch model's layers with a bare ``.weights.h5``'s groups, in Keras' layer order."""
    from fitorch.layers.core.input_layer import InputLayer
    from fitorch.models.functional import Functional

    if depth > MAX_DEPTH:
        raise UnsafeModelError(f"{reader.what}: models nest deeper than {MAX_DEPTH} levels.")
    classes = ["InputLayer" if isinstance(layer, InputLayer) else type(layer).__name__ for layer in layers]
    for layer, save_name in zip(layers, keras_save_names(classes), strict=True):
        child = reader.child(group, save_name, "group", required=False) if group is not None else None
        if isinstance(layer, Functional):
            inner = reader.child(child, "layers", "group", required=False) if child is not None else None
            plan_from_model(reader, keras_ordered_layers(layer), inner, plan, depth + 1)
        else:
            plan.append((layer, layer_vars(reader, child)))


def plan_legacy(reader: H5Reader, model: nn.Module) -> tuple[Plan, list[str]]:
    """Legacy ``.h5``: ``model_weights/<layer>`` groups with ``weight_names`` attributes, matched by layer name.

    Returns the plan and the problems found (layers of the file the model lacks).
    """
    from fitorch.models.functional import Functional
    from fitorch.saving.keras_export.weights import legacy_order

    root = reader.child(reader.root, "model_weights", "group") if "model_weights" in reader.root else reader.root
    names = reader.strings(root, "layer_names")
    if not names:
        raise UnsafeModelError(f"{reader.what} holds no layers; it is not a Keras weights file.")
    by_name = _layers_by_name(model)
    plan: Plan = []
    problems = []
    for name in names:
        group = reader.child(root, check_layer_name(name), "group")
        arrays = [reader.read(reader.child(group, w, "dataset")) for w in reader.strings(group, "weight_names")]
        if name in by_name:
            layer = by_name[name]
            if len(arrays) > 1 and isinstance(layer, Functional):
                # Legacy files list a nested model's trainable weights first; get_weights() does not.
                positions = legacy_order(layer)
                if sorted(positions) == list(range(len(arrays))):
                    ordered: list[Any] = [None] * len(arrays)
                    for array, position in zip(arrays, positions, strict=True):
                        ordered[position] = array
                    arrays = ordered
            plan.append((layer, arrays))
        elif arrays:
            problems.append(f"the model has no layer named {name!r}")
    return plan, problems


def _misfit(layer: nn.Module, arrays: list[np.ndarray]) -> str | None:
    """Why ``arrays`` cannot go into ``layer`` through ``set_weights``, or ``None`` when they fit."""
    if not callable(getattr(layer, "get_weights", None)):
        return f"plain module {type(layer).__name__} cannot take Keras variables" if arrays else None
    expected = layer.get_weights()
    if len(arrays) != len(expected):
        return f"expected {len(expected)} arrays, the file has {len(arrays)}"
    for index, (want, array) in enumerate(zip(expected, arrays, strict=True)):
        if tuple(np.shape(array)) != tuple(np.shape(want)):
            return f"weight {index} expected shape {tuple(np.shape(want))}, the file has {tuple(np.shape(array))}"
    return None


def apply(plan: Plan, what: str, skip_mismatch: bool, problems: Sequence[str] = ()) -> None:
    """Checks every pair of ``plan``, then copies: a misfit anywhere changes nothing (unless skipped)."""
    from fitorch.graph.node import module_name

    fitting = []
    problems = list(problems)
    for layer, arrays in plan:
        problem = _misfit(layer, arrays)
        if problem is None:
            if arrays:
                fitting.append((layer, arrays))
        else:
            problems.append(f"layer {module_name(layer)!r}: {problem}")
    if problems:
        report = f"Keras weights from {what} do not fit the model:\n  " + "\n  ".join(problems)
        if not skip_mismatch:
            raise ValueError(report + "\nNothing was loaded. Pass skip_mismatch=True to load the layers that fit.")
        warnings.warn(report + "\nThese layers were skipped (skip_mismatch=True).", UserWarning, stacklevel=4)
    for layer, arrays in fitting:
        layer.set_weights(arrays)
