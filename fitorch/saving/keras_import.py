"""Keras files into fitorch models: ``.keras`` archives, legacy ``.h5`` models, ``.weights.h5`` weights.

A Keras config is translated, as JSON, into fitorch's own config format and then
rebuilt by the same :class:`~fitorch.saving.serialization.Deserializer` as a
``.fitorch`` file, under the same rules: classes only from the registry (a Keras
``"module"`` must name Keras itself; anything else is the attack of CVE-2025-1550),
``Lambda`` refused in safe mode and code never run, the allocation budget and the
side-effect guard. Safe mode is never skipped for a Keras file (CVE-2025-9905).

Weights are read with ``h5py`` (the optional ``h5`` extra). Every object is reached
through hard links only (no soft, external or virtual links, no external storage),
and each dataset's size is checked against the file's size before it is read.
A layer's variables, in Keras order, go through ``Layer.set_weights``, which takes
Keras layout.
"""

from __future__ import annotations

import inspect
import io
import os
import warnings
from collections import deque
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from torch import nn

from fitorch.saving import guard, limits, registry, safe_json
from fitorch.saving.errors import UnsafeModelError, quote
from fitorch.saving.serialization import Deserializer, check_layer_name
from fitorch.utils.naming import to_snake_case

KERAS_WEIGHTS = "model.weights.h5"
KERAS_MEMBERS = {
    "config.json": limits.MAX_JSON_BYTES,
    "metadata.json": limits.MAX_METADATA_BYTES,
    KERAS_WEIGHTS: 1 << 46,
}
# Keras-only arguments fitorch drops when they hold these (default) values.
_KERAS_DEFAULTS: dict[str, Any] = {
    "sparse": False, "ragged": False, "optional": False, "synchronized": False, "lora_rank": None,
    "lora_alpha": None, "quantization_config": None, "kernel_regularizer": None, "bias_regularizer": None,
    "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None, "beta_regularizer": None,
    "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None, "embeddings_regularizer": None,
    "embeddings_constraint": None, "input_axes": None, "output_axes": None, "autocast": True, "renorm": False,
    "renorm_momentum": 0.99, "use_gate": False, "flash_attention": None, "recurrent_regularizer": None,
    "recurrent_constraint": None,
}  # fmt: skip
_OPTIMIZER_DEFAULTS: dict[str, Any] = {
    "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}  # fmt: skip
_BASE_ARGUMENTS = {"name", "trainable", "dtype", "input_shape", "batch_size", "input_dim"}
_SPECIAL = {"__keras_tensor__", "__tuple__", "__lambda__", "function", "__numpy__"}


_MASK_ARGUMENTS = frozenset({"mask", "query_mask", "value_mask", "key_mask"})


def _h5py() -> Any:
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py ships with the test extra
        raise ImportError(
            "Reading Keras .h5/.keras files needs h5py: pip install 'fitorch[h5]' (or pip install h5py)."
        ) from None
    return h5py


# ====================================================================== config translation
def _check_keras_object(value: dict[str, Any], where: str) -> None:
    """A Keras ``{"module", "class_name", ...}`` dict may only point into Keras itself."""
    module = value.get("module")
    class_name = value.get("class_name")
    if module is not None:
        if not isinstance(module, str) or not (
            module == "keras"
            or module.startswith(("keras.", "tf_keras."))
            or (module == "builtins" and class_name == "function")
        ):
            raise UnsafeModelError(
                f"{where}: the Keras config points at module {quote(module)} (class {quote(class_name)}). Keras "
                "imported such modules when loading, which is the attack of CVE-2025-1550; fitorch never imports "
                "anything a file names."
            )
    if class_name is not None and class_name not in _SPECIAL:
        registry.check_name(class_name)
    registered = value.get("registered_name")
    if registered is not None and registered not in _SPECIAL:
        registry.check_name(registered)


def _plain(value: Any, where: str) -> Any:
    """A Keras config value with Keras' object wrappers turned into fitorch's plain forms."""
    if isinstance(value, list):
        return [_plain(v, where) for v in value]
    if not isinstance(value, dict):
        return value
    if "class_name" in value or "module" in value:
        _check_keras_object(value, where)
        class_name = value.get("class_name")
        config = value.get("config")
        if class_name == "DTypePolicy" or class_name == "DTypePolicyMap":
            name = config.get("name") if isinstance(config, dict) else None
            if not isinstance(name, str):
                raise UnsafeModelError(f"{where}: invalid dtype policy {quote(value)}.")
            return "float32" if name.startswith("mixed_") else name
        if class_name == "__tuple__" and isinstance(config, dict):
            return [_plain(v, where) for v in config.get("value", [])]
        if class_name == "function" and isinstance(config, str):
            return {"function_name": config}
        if class_name == "__lambda__":
            return {"code": "<stored code>"}
        registered = value.get("registered_name")
        name = registered if isinstance(registered, str) and ">" in registered else class_name
        plain_config = (
            {k: _plain(v, where) for k, v in (config or {}).items() if v is not None}
            if isinstance(config, dict)
            else config
        )
        return {"class_name": name, "config": plain_config}
    return {k: _plain(v, where) for k, v in value.items()}


def _layer_arguments(cls: type, config: dict[str, Any], where: str) -> dict[str, Any]:
    """Keeps the Keras arguments fitorch's class accepts; drops Keras-only ones left at their defaults."""
    accepted = set(_BASE_ARGUMENTS)
    for klass in cls.__mro__:  # arguments a subclass forwards through **kwargs count too
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        try:
            parameters = inspect.signature(init).parameters
        except (TypeError, ValueError):
            return config
        accepted |= {n for n, p in parameters.items() if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
        if not any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
            break
    kept = {}
    for key, value in config.items():
        if key in accepted:
            kept[key] = value
        elif value is None or (key in _KERAS_DEFAULTS and value == _KERAS_DEFAULTS[key]):
            continue
        else:
            raise UnsafeModelError(
                f"{where}: Keras argument {key}={quote(value)} has no equivalent in fitorch's {cls.__name__}."
            )
    return kept


def _layer_entry(layer: Any, where: str, custom_objects: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(layer, dict):
        raise UnsafeModelError(f"{where}: a layer must be a JSON object.")
    _check_keras_object(layer, where)
    class_name = layer.get("class_name")
    registered = layer.get("registered_name")
    if isinstance(registered, str) and ">" in registered:
        class_name = registered
    config = layer.get("config")
    if not isinstance(config, dict):
        raise UnsafeModelError(f"{where}: the layer's config must be a JSON object.")
    name = check_layer_name(layer.get("name", config.get("name")))
    inner_where = f"{where}, layer {name!r}"
    if class_name in ("Functional", "Model", "Sequential"):
        return {"class_name": "Sequential" if class_name == "Sequential" else "Functional",
                "config": _model_config(class_name, config, inner_where, custom_objects), "name": name}  # fmt: skip
    if class_name == "Lambda":
        return {"class_name": "Lambda", "config": _lambda_config(config, inner_where), "name": name}
    if class_name == "InputLayer":
        shape = config.get("batch_shape", config.get("batch_input_shape"))
        if not isinstance(shape, list) or not shape:
            raise UnsafeModelError(f"{inner_where}: invalid input shape {quote(shape)}.")
        dtype = _plain(config.get("dtype"), inner_where)
        return {"class_name": "InputLayer", "name": name,
                "config": {"shape": shape[1:], "batch_size": shape[0], "dtype": dtype, "name": name}}  # fmt: skip
    cls = registry.resolve(class_name, "layer", custom_objects)
    plain = {k: _plain(v, inner_where) for k, v in config.items() if k != "shared_object_id"}
    plain["name"] = name
    return {"class_name": class_name, "config": _layer_arguments(cls, plain, inner_where), "name": name}


def _lambda_config(config: dict[str, Any], where: str) -> dict[str, Any]:
    function = config.get("function")
    if isinstance(function, str) and config.get("function_type") == "function":  # Keras 2: a named function
        function = {"function_name": function}
    elif isinstance(function, dict):
        _check_keras_object(function, where)
        function = _plain(function, where)
    else:
        function = {"code": "<stored code>"}  # marshalled bytecode (Keras 2) or anything else
    output_shape = config.get("output_shape")
    return {
        "name": config.get("name"),
        "function": function,
        "output_shape": output_shape if isinstance(output_shape, list) else None,
        "arguments": config.get("arguments") if isinstance(config.get("arguments"), dict) else None,
    }


def _argument(value: Any, where: str) -> Any:
    """A Keras 3 call argument in fitorch's encoding."""
    if isinstance(value, list):
        return [_argument(v, where) for v in value]
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            history = (value.get("config") or {}).get("keras_history")
            return {"tensor": history}
        if value.get("class_name") == "__tuple__":
            return {"tuple": [_argument(v, where) for v in (value.get("config") or {}).get("value", [])]}
        if "class_name" in value or "module" in value:
            _check_keras_object(value, where)
            raise UnsafeModelError(f"{where}: unsupported call argument {quote(value)}.")
        return {"dict": {k: _argument(v, where) for k, v in value.items()}}
    return value


def _calls(layer: dict[str, Any], where: str) -> list[tuple[list[Any], dict[str, Any]]]:
    """The layer's calls as ``(args, kwargs)`` in fitorch's encoding (Keras 3 and Keras 2 styles)."""
    calls = []
    for node in layer.get("inbound_nodes") or []:
        if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
            args, kwargs = node.get("args", []), node.get("kwargs", {})
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise UnsafeModelError(f"{where}: invalid inbound node {quote(node)}.")
            # Keras records defaults such as mask=None; fitorch layers take those as defaults too.
            # Masks travel with the tensors in fitorch (and Keras re-derives them too), so
            # the mask arguments Keras records are dropped; see _model_config for their ops.
            kwargs = {k: _argument(v, where) for k, v in kwargs.items() if v is not None and k not in _MASK_ARGUMENTS}
            calls.append(([_argument(a, where) for a in args], kwargs))
        elif isinstance(node, list) and node:  # Keras 2: [[name, node, tensor, kwargs], ...]
            tensors, kwargs = [], {}
            for item in node:
                if not isinstance(item, list) or len(item) < 3:
                    raise UnsafeModelError(f"{where}: invalid inbound node {quote(node)}.")
                tensors.append({"tensor": item[:3]})
                if len(item) > 3 and isinstance(item[3], dict):
                    kwargs = {k: _argument(v, where) for k, v in item[3].items()}
            calls.append(([tensors[0]] if len(tensors) == 1 else [tensors], kwargs))
        else:
            raise UnsafeModelError(f"{where}: invalid inbound node {quote(node)}.")
    return calls


def _structure(value: Any, where: str) -> Any:
    """Keras ``input_layers``/``output_layers`` (triples, lists or dicts of them) in fitorch's encoding."""
    if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str):
        return {"tensor": value}
    if isinstance(value, list):
        items = [_structure(v, where) for v in value]
        return items[0] if len(items) == 1 else items
    if isinstance(value, dict):
        return {"dict": {k: _structure(v, where) for k, v in value.items()}}
    raise UnsafeModelError(f"{where}: invalid model inputs or outputs {quote(value)}.")


def _model_config(
    class_name: str, config: dict[str, Any], where: str, custom_objects: Mapping[str, Any]
) -> dict[str, Any]:
    layers = config.get("layers")
    if not isinstance(layers, list):
        raise UnsafeModelError(f"{where}: a Keras model config needs a list of layers.")
    if class_name == "Sequential":
        entries = [_layer_entry(layer, f"{where}, layer {index}", custom_objects) for index, layer in enumerate(layers)]
        spec = None
        if entries and entries[0]["class_name"] == "InputLayer":
            first = entries.pop(0)["config"]
            spec = {"shape": first["shape"], "batch_size": first["batch_size"], "dtype": first["dtype"]}
        elif isinstance(config.get("build_input_shape"), list):
            spec = {"shape": config["build_input_shape"][1:], "batch_size": None, "dtype": None}
        return {"name": check_layer_name(config.get("name", "sequential")), "layers": entries, "input": spec}
    entries, pending = [], {}
    calls = {id(layer): _calls(layer, f"{where}, layer {layer.get('name')!r}") for layer in layers}
    used = _referenced_layers([c for layer_calls in calls.values() for c in layer_calls]) | _referenced_layers(
        [config.get("output_layers"), config.get("input_layers")]
    )
    for layer in layers:
        if layer.get("name") not in used:
            continue  # a Keras op that only computed a mask (e.g. NotEqual after Embedding(mask_zero=True))
        entry = _layer_entry(layer, where, custom_objects)
        entries.append(entry)
        pending[entry["name"]] = deque(calls[id(layer)])
    done = {(e["name"], 0) for e in entries if e["class_name"] == "InputLayer"}
    count = {e["name"]: int(e["class_name"] == "InputLayer") for e in entries}
    nodes = []
    while any(pending.values()):
        progressed = False
        for entry in entries:
            queue = pending[entry["name"]]
            while queue and _ready(queue[0], done):
                args, kwargs = queue.popleft()
                nodes.append({"layer": entry["name"], "args": args, "kwargs": kwargs})
                done.add((entry["name"], count[entry["name"]]))
                count[entry["name"]] += 1
                progressed = True
        if not progressed:
            raise UnsafeModelError(f"{where}: the Keras graph refers to tensors no layer produces (or has a cycle).")
    return {
        "name": check_layer_name(config.get("name", "functional")),
        "layers": entries,
        "nodes": nodes,
        "inputs": _structure(config.get("input_layers"), where),
        "outputs": _structure(config.get("output_layers"), where),
    }


def _referenced_layers(value: Any) -> set[Any]:
    """Names of the layers whose outputs ``value`` (calls, or Keras input/output lists) refers to."""
    if isinstance(value, dict):
        if set(value) == {"tensor"} and isinstance(value["tensor"], list) and value["tensor"]:
            return {value["tensor"][0]}
        return {name for v in value.values() for name in _referenced_layers(v)}
    if isinstance(value, (list, tuple)):
        if len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], int):
            return {value[0]}  # Keras' [layer_name, node_index, tensor_index]
        return {name for v in value for name in _referenced_layers(v)}
    return set()


def _ready(call: tuple[list[Any], dict[str, Any]], done: set[tuple[str, int]]) -> bool:
    def refs(value: Any) -> list[tuple[Any, Any]]:
        if isinstance(value, list):
            return [r for v in value for r in refs(v)]
        if isinstance(value, dict):
            if set(value) == {"tensor"} and isinstance(value["tensor"], list) and len(value["tensor"]) == 3:
                return [(value["tensor"][0], value["tensor"][1])]
            return [r for v in value.values() for r in refs(v)]
        return []

    return all(ref in done for ref in refs(list(call)))


def translate(keras_config: Any, custom_objects: Mapping[str, Any]) -> dict[str, Any]:
    """A Keras model config (Keras 3 or Keras 2) as a fitorch model entry."""
    if not isinstance(keras_config, dict) or not isinstance(keras_config.get("config"), dict):
        raise UnsafeModelError("The Keras config is not a model config.")
    _check_keras_object(keras_config, "the Keras model")
    class_name = keras_config.get("class_name")
    if class_name not in ("Functional", "Model", "Sequential"):
        raise UnsafeModelError(
            f"The Keras file holds a {quote(class_name)} model; fitorch imports Keras functional and Sequential "
            "models. For a subclassed Keras model, build it in fitorch and load its weights."
        )
    config = _model_config(class_name, keras_config["config"], "the Keras model", custom_objects)
    return {"class_name": "Sequential" if class_name == "Sequential" else "Functional", "config": config}


# ====================================================================== weights
def _object(group: Any, path: str, h5py: Any, what: str) -> Any:
    """``group[path]``, following hard links only."""
    current = group
    for part in path.split("/"):
        if not part or part in (".", ".."):
            raise UnsafeModelError(f"{what}: invalid HDF5 path {quote(path)}.")
        link = current.get(part, getlink=True)
        if link is None:
            return None
        if not isinstance(link, h5py.HardLink):
            raise UnsafeModelError(
                f"{what}: {quote(path)} is a {type(link).__name__}; Keras files hold only hard links (soft and "
                "external links can point at other files)."
            )
        current = current[part]
    return current


def _read_dataset(dataset: Any, h5py: Any, budget: list[int], what: str) -> np.ndarray:
    if not isinstance(dataset, h5py.Dataset):
        raise UnsafeModelError(f"{what}: {quote(dataset.name)} is not a dataset.")
    if dataset.is_virtual or dataset.external:
        raise UnsafeModelError(f"{what}: dataset {quote(dataset.name)} reads its data from other files.")
    if dataset.dtype.kind not in "fiub" or dataset.ndim > limits.MAX_TENSOR_NDIM:
        raise UnsafeModelError(
            f"{what}: dataset {quote(dataset.name)} has dtype {dataset.dtype} and {dataset.ndim} dims."
        )
    size = int(np.prod(dataset.shape, dtype=object)) * dataset.dtype.itemsize
    budget[0] -= size
    if budget[0] < 0:
        raise UnsafeModelError(
            f"{what}: dataset {quote(dataset.name)} declares {size} bytes, more than the file could hold (a "
            "resource bomb)."
        )
    return np.asarray(dataset[()])


# Where Keras 3 keeps a layer's weights in sub-objects, in the order its get_weights() lists them:
# recurrent layers in their cell, wrappers in their inner layers, attention in its projections.
_CHILD_ORDER = ("cell", "forward_layer", "backward_layer", "layer", "query_dense", "key_dense", "value_dense",
                "output_dense")  # fmt: skip


def _vars(group: Any, h5py: Any, budget: list[int], what: str) -> list[np.ndarray]:
    arrays = _own_vars(group, h5py, budget, what)
    if group is None:
        return arrays
    for child in _CHILD_ORDER:
        sub = group.get(child, getlink=True) if child in group else None
        if sub is not None:
            arrays.extend(_vars(_object(group, child, h5py, what), h5py, budget, what))
    return arrays


def _own_vars(group: Any, h5py: Any, budget: list[int], what: str) -> list[np.ndarray]:
    variables = _object(group, "vars", h5py, what) if group is not None else None
    if variables is None:
        return []
    keys = list(variables.keys())
    if not all(k.isdigit() for k in keys) or sorted(int(k) for k in keys) != list(range(len(keys))):
        raise UnsafeModelError(f"{what}: unexpected variable names {quote(keys[:10])} in {quote(group.name)}.")
    return [_read_dataset(_object(variables, str(i), h5py, what), h5py, budget, what) for i in range(len(keys))]


def _assign_layer_vars(layer: nn.Module, group: Any, h5py: Any, budget: list[int], what: str, skip: bool) -> None:
    from fitorch.layers.layer import Layer
    from fitorch.models.functional import Functional

    if isinstance(layer, Functional):
        _assign_container(
            layer.layers, _object(group, "layers", h5py, what) if group is not None else None, h5py, budget, what, skip
        )
        return
    arrays = _vars(group, h5py, budget, what)
    if not isinstance(layer, Layer):
        if arrays:
            raise UnsafeModelError(f"{what}: cannot assign Keras variables to plain module {type(layer).__name__}.")
        return
    expected = len(layer.get_weights())
    if not arrays and not expected:
        return
    try:
        layer.set_weights(arrays)
    except ValueError as error:
        if not skip:
            raise ValueError(f"Keras weights from {what} do not fit layer {layer.name!r}: {error}") from None
        warnings.warn(f"Skipped layer {layer.name!r}: {error}", UserWarning, stacklevel=4)


def keras_save_names(layers: list[nn.Module]) -> list[str]:
    """The names Keras 3 gives layers inside a weights file: snake_case class name, numbered per class."""
    from fitorch.layers.core.input_layer import InputLayer

    used: dict[str, int] = {}
    names = []
    for layer in layers:
        base = "input_layer" if isinstance(layer, InputLayer) else to_snake_case(type(layer).__name__)
        used[base] = used.get(base, -1) + 1
        names.append(base if used[base] == 0 else f"{base}_{used[base]}")
    return names


def _assign_container(layers: list[nn.Module], group: Any, h5py: Any, budget: list[int], what: str, skip: bool) -> None:
    for layer, name in zip(layers, keras_save_names(layers), strict=True):
        child = _object(group, name, h5py, what) if group is not None else None
        _assign_layer_vars(layer, child, h5py, budget, what, skip)


def _open_h5(source: Any, what: str) -> Any:
    h5py = _h5py()
    try:
        return h5py, h5py.File(source, "r")
    except (OSError, ValueError) as error:
        raise UnsafeModelError(f"{what} is not a valid HDF5 file: {error}") from None


def _budget(size: int) -> list[int]:
    return [limits.ALLOCATION_FACTOR * size + limits.SMALL_MEMBER_BYTES]


def load_keras_weights(model: nn.Module, path: str, skip_mismatch: bool = False) -> None:
    """Loads a Keras 3 ``.weights.h5`` file (or a legacy Keras ``.h5`` model's weights) into ``model``.

    Layers are matched the way Keras 3 names them in the file (per class, in
    ``model.layers`` order) and their variables go through ``set_weights``.
    """
    what = repr(path)
    h5py, handle = _open_h5(path, what)
    with handle:
        budget = _budget(os.path.getsize(path))
        if "model_weights" in handle or "layer_names" in handle.attrs:
            _assign_legacy(model, handle, h5py, budget, what, skip_mismatch)
            return
        layers = getattr(model, "layers", None)
        if layers is None:
            raise ValueError(f"Model {type(model).__name__} has no layers list to match a Keras weights file against.")
        _assign_container(list(layers), _object(handle, "layers", h5py, what), h5py, budget, what, skip_mismatch)


def _assign_legacy(model: nn.Module, handle: Any, h5py: Any, budget: list[int], what: str, skip: bool) -> None:
    """Legacy ``.h5``: ``model_weights/<layer>`` with ``weight_names`` attributes, matched by layer name."""
    root = _object(handle, "model_weights", h5py, what) if "model_weights" in handle else handle
    names = [n.decode() if isinstance(n, bytes) else str(n) for n in root.attrs.get("layer_names", [])]
    by_name = {getattr(layer, "name", None): layer for layer in getattr(model, "layers", [])}
    for name in names:
        check_layer_name(name)
        group = _object(root, name, h5py, what)
        weight_names = [n.decode() if isinstance(n, bytes) else str(n) for n in group.attrs.get("weight_names", [])]
        arrays = [_read_dataset(_object(group, w, h5py, what), h5py, budget, what) for w in weight_names]
        layer = by_name.get(name)
        if layer is None:
            if arrays and not skip:
                raise ValueError(f"Keras weights from {what}: the model has no layer named {name!r}.")
            continue
        try:
            if arrays or layer.get_weights():
                layer.set_weights(arrays)
        except ValueError as error:
            if not skip:
                raise ValueError(f"Keras weights from {what} do not fit layer {name!r}: {error}") from None
            warnings.warn(f"Skipped layer {name!r}: {error}", UserWarning, stacklevel=4)


# ====================================================================== whole models
def _keras_compile(model: nn.Module, config: Any, deserializer: Deserializer) -> None:
    """Compiles with a Keras compile config where fitorch has every piece; otherwise warns and leaves it."""
    from fitorch import optimizers

    try:
        if not isinstance(config, dict):
            return
        optimizer = config.get("optimizer", config.get("optimizer_config"))
        plain = _plain(optimizer, "the Keras optimizer") if isinstance(optimizer, dict) else optimizer
        if isinstance(plain, dict):
            cls = optimizers.registry.OPTIMIZERS.lookup(str(plain["class_name"]).lower())
            arguments = {k: v for k, v in (plain.get("config") or {}).items() if k != "name"}
            arguments = {
                k: v for k, v in arguments.items() if not (k in _OPTIMIZER_DEFAULTS and v == _OPTIMIZER_DEFAULTS[k])
            }
            optimizer = cls(**arguments)
        from fitorch.saving.compile_state import _decode_spec

        def spec(value: Any, kind: str) -> Any:
            return _decode_spec(_plain(value, "the Keras compile config"), kind, deserializer.custom_objects)

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
    with (
        torch.random.fork_rng(devices=[]),
        guard.AllocationBudget(_budget(size)[0] + limits.ALLOCATION_SLACK_BYTES, what),
    ):
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
    """A ``.keras`` file (already read): config.json translated and rebuilt, its weights assigned layer by layer."""
    what = repr(path)
    config = safe_json.loads(members["config.json"], f"{what}: config.json")
    model = _rebuild(config, deserializer, os.path.getsize(path), what)
    if KERAS_WEIGHTS in members:
        h5py, handle = _open_h5(io.BytesIO(bytes(members[KERAS_WEIGHTS])), what)
        with handle:
            budget = _budget(len(members[KERAS_WEIGHTS]))
            _assign_layer_vars_top(model, config, handle, h5py, budget, what)
    if compile and isinstance(config, dict) and config.get("compile_config"):
        _keras_compile(model, config["compile_config"], deserializer)
    return model


def _assign_layer_vars_top(
    model: nn.Module, config: dict[str, Any], handle: Any, h5py: Any, budget: list[int], what: str
) -> None:
    from fitorch.models.sequential import Sequential

    layers = list(model.layers)
    if isinstance(model, Sequential) and model.built:
        layers = [model._input_tensor.layer, *layers]  # Keras lists the InputLayer first
    _assign_container(layers, _object(handle, "layers", h5py, what), h5py, budget, what, skip=False)


def load_legacy_h5(path: str, deserializer: Deserializer, compile: bool) -> nn.Module:  # noqa: A002
    """A legacy Keras ``.h5`` model: the ``model_config`` attribute translated and rebuilt, then its weights."""
    what = repr(path)
    h5py, handle = _open_h5(path, what)
    with handle:
        raw = handle.attrs.get("model_config")
        if raw is None:
            raise UnsafeModelError(
                f"{what} holds no model config; it is a weights file. Build the model and call model.load_weights()."
            )
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        if not isinstance(raw, (bytes, np.bytes_)):
            raise UnsafeModelError(f"{what}: model_config is not JSON text.")
        config = safe_json.loads(bytes(raw), f"{what}: model_config")
        model = _rebuild(config, deserializer, os.path.getsize(path), what)
        _assign_legacy(model, handle, h5py, _budget(os.path.getsize(path)), what, skip=False)
        training = handle.attrs.get("training_config")
        if compile and training is not None:
            training = safe_json.loads(
                training.encode() if isinstance(training, str) else bytes(training), f"{what}: training_config"
            )
            _keras_compile(model, training, deserializer)
    return model
