"""Keras model configs (Keras 3 and Keras 2) translated, as JSON, into fitorch's config format.

The translation only rewrites data: it checks every ``module``/``class_name`` a Keras
file names (a ``"module"`` must name Keras itself; anything else is the attack of
CVE-2025-1550), maps Keras' object wrappers to fitorch's plain forms, keeps the
arguments fitorch's classes accept, and orders the calls of a functional model so each
call comes after the calls that produce its inputs. That ordering is a topological sort
(Kahn's algorithm), linear in the number of calls whatever order the file lists its
layers in. The result is rebuilt by the same ``Deserializer`` as a ``.fitorch`` file.
"""

from __future__ import annotations

import functools
import inspect
from collections import deque
from collections.abc import Mapping
from typing import Any

from fitorch.saving import registry
from fitorch.saving.errors import UnsafeModelError, quote
from fitorch.saving.keras import ops_nodes
from fitorch.saving.keras.weights import is_keras_op
from fitorch.saving.serialization import check_layer_name

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
_BASE_ARGUMENTS = {"name", "trainable", "dtype", "input_shape", "batch_size", "input_dim"}
_SPECIAL = {"__keras_tensor__", "__tuple__", "__lambda__", "function", "__numpy__"}
_MASK_ARGUMENTS = frozenset({"mask", "query_mask", "value_mask", "key_mask"})
_MODEL_CLASSES = ("Functional", "Model", "Sequential")
# Layers that keras.applications defines in its own modules, and the fitorch layers that match them.
_APPLICATION_LAYERS = {
    "LayerScale": "fitorch>LayerScale",
    "StochasticDepth": "fitorch>StochasticDepth",
    "CustomScaleLayer": "fitorch>CustomScaleLayer",
}


def check_keras_object(value: dict[str, Any], where: str) -> None:
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


def plain(value: Any, where: str) -> Any:
    """A Keras config value with Keras' object wrappers turned into fitorch's plain forms."""
    if isinstance(value, list):
        return [plain(v, where) for v in value]
    if not isinstance(value, dict):
        return value
    if "class_name" in value or "module" in value:
        check_keras_object(value, where)
        class_name = value.get("class_name")
        config = value.get("config")
        if class_name == "DTypePolicy" or class_name == "DTypePolicyMap":
            name = config.get("name") if isinstance(config, dict) else None
            if not isinstance(name, str):
                raise UnsafeModelError(f"{where}: invalid dtype policy {quote(value)}.")
            return "float32" if name.startswith("mixed_") else name
        if class_name == "__tuple__" and isinstance(config, dict):
            return [plain(v, where) for v in config.get("value", [])]
        if class_name == "function" and isinstance(config, str):
            return {"function_name": config}
        if class_name == "__lambda__":
            return {"code": "<stored code>"}
        registered = value.get("registered_name")
        name = registered if isinstance(registered, str) and ">" in registered else class_name
        plain_config = (
            {k: plain(v, where) for k, v in (config or {}).items() if v is not None}
            if isinstance(config, dict)
            else config
        )
        return {"class_name": name, "config": plain_config}
    return {k: plain(v, where) for k, v in value.items()}


@functools.lru_cache(maxsize=1024)
def _accepted_arguments(cls: type) -> frozenset[str] | None:
    """The keyword arguments ``cls`` takes (``None`` when its signature cannot be read); cached per class."""
    accepted = set(_BASE_ARGUMENTS)
    for klass in cls.__mro__:  # arguments a subclass forwards through **kwargs count too
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        try:
            parameters = inspect.signature(init).parameters
        except (TypeError, ValueError):
            return None
        accepted |= {n for n, p in parameters.items() if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
        if not any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
            break
    return frozenset(accepted)


def _layer_arguments(cls: type, config: dict[str, Any], where: str) -> dict[str, Any]:
    """Keeps the Keras arguments fitorch's class accepts; drops Keras-only ones left at their defaults."""
    accepted = _accepted_arguments(cls)
    if accepted is None:
        return config
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


def _layer_entry(layer: Any, where: str, custom_objects: Mapping[str, Any], classes: dict[str, type]) -> dict[str, Any]:
    if not isinstance(layer, dict):
        raise UnsafeModelError(f"{where}: a layer must be a JSON object.")
    check_keras_object(layer, where)
    class_name = layer.get("class_name")
    registered = layer.get("registered_name")
    if isinstance(registered, str) and ">" in registered:
        class_name = registered
    config = layer.get("config")
    if not isinstance(config, dict):
        raise UnsafeModelError(f"{where}: the layer's config must be a JSON object.")
    name = check_layer_name(layer.get("name", config.get("name")))
    inner_where = f"{where}, layer {name!r}"
    if is_keras_op(layer):
        return ops_nodes.op_entry(class_name, config, name, inner_where)
    if class_name in _MODEL_CLASSES:
        return {"class_name": "Sequential" if class_name == "Sequential" else "Functional",
                "config": _model_config(class_name, config, inner_where, custom_objects, classes),
                "name": name}  # fmt: skip
    if class_name == "Lambda":
        return {"class_name": "Lambda", "config": _lambda_config(config, inner_where), "name": name}
    if class_name == "InputLayer":
        shape = config.get("batch_shape", config.get("batch_input_shape"))
        if not isinstance(shape, list) or not shape:
            raise UnsafeModelError(f"{inner_where}: invalid input shape {quote(shape)}.")
        dtype = plain(config.get("dtype"), inner_where)
        # Keras checks inputs without their batch size (a model built by a call on one sample
        # records batch 1 and still predicts on any batch), so the batch size is not imported.
        return {"class_name": "InputLayer", "name": name,
                "config": {"shape": shape[1:], "batch_size": None, "dtype": dtype, "name": name}}  # fmt: skip
    module = layer.get("module")
    if (
        class_name in _APPLICATION_LAYERS
        and class_name not in custom_objects
        and (module is None or str(module).startswith("keras.src.applications."))  # legacy .h5 names no module
    ):
        class_name = _APPLICATION_LAYERS[class_name]
    if class_name not in classes:  # resolved once per class: a file may hold thousands of layers of a few classes
        classes[class_name] = registry.resolve(class_name, "layer", custom_objects)
    cls = classes[class_name]
    plain_config = {k: plain(v, inner_where) for k, v in config.items() if k != "shared_object_id"}
    plain_config["name"] = name
    return {"class_name": class_name, "config": _layer_arguments(cls, plain_config, inner_where), "name": name}


def _lambda_config(config: dict[str, Any], where: str) -> dict[str, Any]:
    function = config.get("function")
    if isinstance(function, str) and config.get("function_type") == "function":  # Keras 2: a named function
        function = {"function_name": function}
    elif isinstance(function, dict):
        check_keras_object(function, where)
        function = plain(function, where)
    else:
        function = {"code": "<stored code>"}  # marshalled bytecode (Keras 2) or anything else
    output_shape = config.get("output_shape")
    return {
        "name": config.get("name"),
        "function": function,
        "output_shape": output_shape if isinstance(output_shape, list) else None,
        "arguments": config.get("arguments") if isinstance(config.get("arguments"), dict) else None,
    }


def argument(value: Any, where: str) -> Any:
    """A Keras 3 call argument in fitorch's encoding."""
    if isinstance(value, list):
        return [argument(v, where) for v in value]
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            history = (value.get("config") or {}).get("keras_history")
            return {"tensor": history}
        if value.get("class_name") == "__tuple__":
            return {"tuple": [argument(v, where) for v in (value.get("config") or {}).get("value", [])]}
        if "class_name" in value or "module" in value:
            check_keras_object(value, where)
            raise UnsafeModelError(f"{where}: unsupported call argument {quote(value)}.")
        return {"dict": {k: argument(v, where) for k, v in value.items()}}
    return value


def _calls(layer: dict[str, Any], where: str) -> list[tuple[list[Any], dict[str, Any]]]:
    """The layer's calls as ``(args, kwargs)`` in fitorch's encoding (Keras 3 and Keras 2 styles)."""
    calls = []
    nodes = layer.get("inbound_nodes") or []
    if not isinstance(nodes, list):
        raise UnsafeModelError(f"{where}: inbound_nodes must be a list.")
    for node in nodes:
        if isinstance(node, dict):  # Keras 3: {"args": [...], "kwargs": {...}}
            args, kwargs = node.get("args", []), node.get("kwargs", {})
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise UnsafeModelError(f"{where}: invalid inbound node {quote(node)}.")
            # Keras records defaults such as mask=None; fitorch layers take those as defaults too.
            # Masks travel with the tensors in fitorch (and Keras re-derives them too), so
            # the mask arguments Keras records are dropped; see _model_config for their ops.
            kwargs = {k: argument(v, where) for k, v in kwargs.items() if v is not None and k not in _MASK_ARGUMENTS}
            calls.append(([argument(a, where) for a in args], kwargs))
        elif isinstance(node, list) and node:  # Keras 2: [[name, node, tensor, kwargs], ...]
            tensors, kwargs = [], {}
            for item in node:
                if not isinstance(item, list) or len(item) < 3:
                    raise UnsafeModelError(f"{where}: invalid inbound node {quote(node)}.")
                tensors.append({"tensor": item[:3]})
                if len(item) > 3 and isinstance(item[3], dict):
                    kwargs = {k: argument(v, where) for k, v in item[3].items()}
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


def _tensor_refs(value: Any) -> list[tuple[Any, Any]]:
    """The ``(layer name, node index)`` of every tensor a call (or structure) refers to."""
    refs, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            tensor = item.get("tensor") if set(item) == {"tensor"} else None
            if isinstance(tensor, list) and tensor:
                refs.append((tensor[0], tensor[1] if len(tensor) > 1 else None))
            else:
                stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            if len(item) == 3 and isinstance(item[0], str) and isinstance(item[1], int):
                refs.append((item[0], item[1]))  # Keras' [layer_name, node_index, tensor_index]
            else:
                stack.extend(item)
    return refs


def _hashable(ref: tuple[Any, Any]) -> tuple[Any, Any]:
    name, index = ref
    return (name if isinstance(name, str) else repr(name), index if isinstance(index, int) else repr(index))


def _ordered_nodes(entries: list[dict[str, Any]], pending: dict[str, deque], where: str) -> list[dict[str, Any]]:
    """Every call, each after the calls whose outputs it reads: Kahn's algorithm, linear in the calls.

    A layer's calls keep their order (call ``i`` produces its node ``i``). Layers are
    tried in the order of the file, so a well-ordered file keeps its order.
    """
    done: set[tuple[Any, Any]] = {(e["name"], 0) for e in entries if e["class_name"] == "InputLayer"}
    count = {e["name"]: int(e["class_name"] == "InputLayer") for e in entries}
    waiting: dict[tuple[Any, Any], list[str]] = {}
    ready = deque()

    def examine(name: str) -> None:
        """Queues ``name`` when its next call can run, else parks it on the first tensor it still needs."""
        queue = pending[name]
        if not queue:
            return
        for ref in map(_hashable, _tensor_refs(list(queue[0]))):
            if ref not in done:
                waiting.setdefault(ref, []).append(name)
                return
        ready.append(name)

    for entry in entries:
        examine(entry["name"])
    nodes = []
    while ready:
        name = ready.popleft()
        args, kwargs = pending[name].popleft()
        nodes.append({"layer": name, "args": args, "kwargs": kwargs})
        produced = (name, count[name])
        count[name] += 1
        done.add(produced)
        for waiter in waiting.pop(produced, []):
            examine(waiter)
        examine(name)
    if any(pending.values()):
        raise UnsafeModelError(f"{where}: the Keras graph refers to tensors no layer produces (or has a cycle).")
    return nodes


def _model_config(
    class_name: str, config: dict[str, Any], where: str, custom_objects: Mapping[str, Any], classes: dict[str, type]
) -> dict[str, Any]:
    layers = config.get("layers")
    if not isinstance(layers, list):
        raise UnsafeModelError(f"{where}: a Keras model config needs a list of layers.")
    if class_name == "Sequential":
        entries = [
            _layer_entry(layer, f"{where}, layer {index}", custom_objects, classes)
            for index, layer in enumerate(layers)
        ]
        spec = None
        if entries and entries[0]["class_name"] == "InputLayer":
            first = entries.pop(0)["config"]
            spec = {"shape": first["shape"], "batch_size": first["batch_size"], "dtype": first["dtype"]}
        elif isinstance(config.get("build_input_shape"), list):
            spec = {"shape": config["build_input_shape"][1:], "batch_size": None, "dtype": None}
        return {"name": model_name(config.get("name", "sequential")), "layers": entries, "input": spec}
    if not all(isinstance(layer, dict) for layer in layers):
        raise UnsafeModelError(f"{where}: a layer must be a JSON object.")
    calls = [_calls(layer, f"{where}, layer {quote(layer.get('name'))}") for layer in layers]
    used = {
        ref[0]
        for ref in _tensor_refs([calls, config.get("output_layers"), config.get("input_layers")])
        if isinstance(ref[0], str)
    }
    entries, pending = [], {}
    for layer, layer_calls in zip(layers, calls, strict=True):
        if layer.get("name") not in used:
            continue  # a Keras op that only computed a mask (e.g. NotEqual after Embedding(mask_zero=True))
        entry = _layer_entry(layer, where, custom_objects, classes)
        if entry["name"] in pending:
            raise UnsafeModelError(f"{where}: two layers are named {entry['name']!r}.")
        if entry["class_name"] == ops_nodes.OP_LAYER:
            layer_calls = [ops_nodes.op_call(args, kwargs, entry, where) for args, kwargs in layer_calls]
        entries.append(entry)
        pending[entry["name"]] = deque(layer_calls)
    return {
        "name": model_name(config.get("name", "functional")),
        "layers": entries,
        "nodes": _ordered_nodes(entries, pending, where),
        "inputs": _structure(config.get("input_layers"), where),
        "outputs": _structure(config.get("output_layers"), where),
    }


def model_name(name: Any) -> str:
    """A Keras model's name as a fitorch name: ``'.'`` (``mobilenetv2_1.00_224``) becomes ``'_'``.

    Keras names its applications with dots; torch module names cannot hold one. Path
    separators, ``':'`` and control characters are refused as in any layer name.

    Example:
        >>> model_name("mobilenetv2_1.00_224")
        'mobilenetv2_1_00_224'
    """
    if isinstance(name, str) and "." in name and ".." not in name:
        name = name.replace(".", "_")
    return check_layer_name(name)


def translate(keras_config: Any, custom_objects: Mapping[str, Any]) -> dict[str, Any]:
    """A Keras model config (Keras 3 or Keras 2) as a fitorch model entry.

    Example:
        >>> config = {"class_name": "Sequential", "config": {"name": "seq", "layers": [
        ...     {"class_name": "InputLayer", "config": {"batch_shape": [None, 3], "name": "x"}},
        ...     {"class_name": "Dense", "config": {"name": "d", "units": 2}}]}}
        >>> entry = translate(config, {})
        >>> entry["class_name"], [layer["class_name"] for layer in entry["config"]["layers"]]
        ('Sequential', ['Dense'])
    """
    if not isinstance(keras_config, dict) or not isinstance(keras_config.get("config"), dict):
        raise UnsafeModelError("The Keras config is not a model config.")
    check_keras_object(keras_config, "the Keras model")
    class_name = keras_config.get("class_name")
    if class_name not in _MODEL_CLASSES:
        raise UnsafeModelError(
            f"The Keras file holds a {quote(class_name)} model; fitorch imports Keras functional and Sequential "
            "models. For a subclassed Keras model, build it in fitorch and load its weights."
        )
    config = _model_config(class_name, keras_config["config"], "the Keras model", custom_objects, {})
    return {"class_name": "Sequential" if class_name == "Sequential" else "Functional", "config": config}
