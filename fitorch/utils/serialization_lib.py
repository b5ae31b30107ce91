"""``serialize_keras_object`` / ``deserialize_keras_object``: Keras' object configs, resolved safely.

An object becomes Keras' dict ``{"module", "class_name", "config", "registered_name"}``
(fitorch's built-ins under Keras' module names, e.g. ``"keras.layers"``); a function becomes
``{"class_name": "function", "config": name, ...}``; NumPy arrays, tensors, bytes, slices and
``...`` get Keras' ``__numpy__``/``__tensor__``/... entries; lists, tuples and dicts are walked.

Deserialization finds every class and function ONLY by name among ``custom_objects``, the
active ``custom_object_scope``, registered objects and fitorch's own public API: the
``module`` a config names is never imported, and a ``__lambda__`` (stored code) is refused in
every mode. Layers and models are rebuilt by :class:`fitorch.saving.serialization.Deserializer`,
the machinery ``load_model`` uses.

Example:
    >>> import fitorch
    >>> config = serialize_keras_object(fitorch.regularizers.L2(0.1))
    >>> config
    {'module': 'keras.regularizers', 'class_name': 'L2', 'config': {'l2': 0.1}, 'registered_name': None}
    >>> deserialize_keras_object(config).get_config()
    {'l2': 0.1}
"""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from torch import nn

from fitorch.utils.custom_objects import CustomObjectScope, get_registered_name, get_registered_object, scope_objects
from fitorch.utils.tensor_utils import standardize_dtype

PLAIN_TYPES = (str, int, float, bool)

LAMBDA_REFUSED = (
    "deserialize_keras_object: the config holds a Python lambda ('__lambda__', stored code). fitorch never runs "
    "code stored in a config, whatever safe_mode says. Define the function with def, register it with "
    "@keras.saving.register_keras_serializable(), and serialize it again."
)


@functools.cache
def _namespaces() -> tuple[tuple[str, Any], ...]:
    """Keras' module name for each fitorch namespace of built-in classes, in look-up order."""
    import fitorch

    return (
        ("keras.layers", fitorch.layers),
        ("keras.losses", fitorch.losses),
        ("keras.metrics", fitorch.metrics),
        ("keras.optimizers", fitorch.optimizers),
        ("keras.optimizers.schedules", fitorch.optimizers.schedules),
        ("keras.initializers", fitorch.initializers),
        ("keras.regularizers", fitorch.regularizers),
        ("keras.constraints", fitorch.constraints),
        ("keras", fitorch.models),
    )


@functools.cache
def _builtin_classes() -> dict[str, dict[str, type]]:
    """``{keras_module: {class_name: class}}`` read from the public ``__all__`` of fitorch's namespaces."""
    table: dict[str, dict[str, type]] = {}
    for module_name, namespace in _namespaces():
        table[module_name] = {
            name: value for name in namespace.__all__ if inspect.isclass(value := getattr(namespace, name, None))
        }
    return table


def _builtin_module(cls: type) -> str | None:
    for module_name, classes in _builtin_classes().items():
        if classes.get(cls.__name__) is cls:
            return module_name
    return None


def _is_layer_class(cls: Any) -> bool:
    from fitorch.losses import Loss
    from fitorch.metrics import Metric

    return inspect.isclass(cls) and issubclass(cls, nn.Module) and not issubclass(cls, (Loss, Metric))


def _function_name(fn: Any) -> str:
    """The name a function is stored under: registered, else fitorch's built-in name, else ``__name__``."""
    from fitorch import activations
    from fitorch.saving import registry

    name = registry.registered_name(fn) or activations.serialize(fn) or registry.builtin_name(fn, "function")
    if name is not None:
        return name
    plain = getattr(fn, "__name__", None)
    if not isinstance(plain, str) or plain == "<lambda>":
        raise TypeError(
            f"serialize_keras_object: {fn!r} is a lambda or an unnamed callable, and fitorch never stores code. "
            "Define it with def and register it with @keras.saving.register_keras_serializable()."
        )
    return plain


# ====================================================================== serializing
def serialize_keras_object(obj: Any) -> Any:
    """Returns plain data describing ``obj`` (Keras' format), which :func:`deserialize_keras_object` reverses.

    Args:
        obj: a layer, model, loss, metric, optimizer, schedule, initializer, regularizer,
            constraint, a (registered or built-in) function, a NumPy array or tensor, or
            plain data (lists, tuples and dicts of these are walked).

    Returns:
        ``None``, a plain value, a list/tuple/dict, or a dict with ``class_name`` and ``config``.

    Raises:
        TypeError: for a lambda, a plain ``torch.nn.Module``, or an object without ``get_config()``.

    Example:
        >>> import fitorch
        >>> serialize_keras_object(fitorch.activations.relu)
        {'module': 'builtins', 'class_name': 'function', 'config': 'relu', 'registered_name': 'function'}
        >>> entry = serialize_keras_object(fitorch.layers.Dense(2, name="d"))
        >>> entry["module"], entry["class_name"], entry["config"]["units"]
        ('keras.layers', 'Dense', 2)
    """
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {
            "class_name": "__slice__",
            "config": {key: serialize_keras_object(getattr(obj, key)) for key in ("start", "stop", "step")},
        }
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, torch.Tensor):
        value = obj.detach().cpu()
        return {"class_name": "__tensor__", "config": {"value": value.tolist(), "dtype": standardize_dtype(obj.dtype)}}
    if isinstance(obj, np.ndarray) and obj.ndim > 0:
        return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": standardize_dtype(obj.dtype)}}
    if isinstance(obj, np.generic) or isinstance(obj, np.ndarray):
        return obj.item()
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType, functools.partial)):
        # Keras' own (odd but stable) entry for every function, built-in or registered.
        return {
            "module": "builtins",
            "class_name": "function",
            "config": _function_name(obj),
            "registered_name": "function",
        }
    if inspect.isclass(obj):
        raise TypeError(
            f"serialize_keras_object: received the class {obj.__name__}; serialize an instance (or pass the class's "
            "registered name, get_registered_name(cls), as a string)."
        )
    cls = type(obj)
    if _is_layer_class(cls):
        return _serialize_layer(obj)
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"serialize_keras_object: cannot serialize {obj!r} of type {cls.__name__}: it has no get_config() method. "
            "Give the class a get_config() returning its __init__ arguments."
        )
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(
            f"serialize_keras_object: {cls.__name__}.get_config() must return a dict; received {type(config).__name__}."
        )
    return _entry(cls, {key: serialize_keras_object(value) for key, value in config.items()})


def _entry(cls: type, config: Any) -> dict[str, Any]:
    """Keras' ``{"module", "class_name", "config", "registered_name"}`` for an instance of ``cls``."""
    from fitorch.saving import registry

    registered = registry.registered_name(cls)
    builtin_module = None if registered else _builtin_module(cls)
    if builtin_module is not None:
        return {"module": builtin_module, "class_name": cls.__name__, "config": config, "registered_name": None}
    module = None if cls.__module__ == "__main__" else cls.__module__
    return {"module": module, "class_name": cls.__name__, "config": config, "registered_name": get_registered_name(cls)}


def _serialize_layer(layer: nn.Module) -> dict[str, Any]:
    """A layer or model through fitorch's model-file serialization (registry names, JSON checks, nesting)."""
    from fitorch.distributed.runtime import original_class
    from fitorch.saving.serialization import serialize_module

    entry = serialize_module(layer)
    return _entry(original_class(layer), entry["config"])


# ====================================================================== deserializing
def deserialize_keras_object(
    config: Any, custom_objects: Mapping[str, Any] | None = None, safe_mode: bool = True, **kwargs: Any
) -> Any:
    """Rebuilds the object :func:`serialize_keras_object` (fitorch's or Keras') described.

    Classes and functions are looked up by name, never imported: in ``custom_objects``,
    the active ``custom_object_scope``, the registry, then fitorch's built-ins named by
    the config's Keras ``module``.

    Args:
        config: the serialized object.
        custom_objects: your classes and functions by name.
        safe_mode: accepted for Keras compatibility; fitorch refuses stored code (``__lambda__``)
            in either mode.
        **kwargs: ``module_objects``, an extra ``{name: object}`` searched last (as Keras).

    Raises:
        TypeError: for an unknown class or function, or a malformed config.
        ValueError: for a ``__lambda__`` (stored code), or a layer config fitorch refuses
            (``fitorch.saving.UnsafeModelError``, a ``ValueError``).

    Example:
        >>> import fitorch
        >>> layer = deserialize_keras_object(serialize_keras_object(fitorch.layers.Dense(3, name="d")))
        >>> type(layer).__name__, layer.units, layer.name
        ('Dense', 3, 'd')
        >>> deserialize_keras_object({"module": "keras.activations", "class_name": "function",
        ...                           "config": "relu", "registered_name": "relu"}) is fitorch.activations.relu
        True
    """
    module_objects = kwargs.pop("module_objects", None)
    if kwargs:
        raise TypeError(f"deserialize_keras_object: unexpected keyword arguments {sorted(kwargs)}.")
    if custom_objects is not None and not isinstance(custom_objects, Mapping):
        raise TypeError(f"deserialize_keras_object: custom_objects must be a dict; received {custom_objects!r}.")
    from fitorch.saving import registry

    custom = {**(custom_objects or {}), **scope_objects(), **registry.global_custom_objects()}
    return _Rebuilder(custom, module_objects or {}, bool(safe_mode)).rebuild(config)


class _Rebuilder:
    def __init__(self, custom: dict[str, Any], module_objects: Mapping[str, Any], safe_mode: bool) -> None:
        self.custom = custom
        self.module_objects = module_objects
        self.safe_mode = safe_mode

    def rebuild(self, config: Any) -> Any:
        if config is None:
            return None
        if isinstance(config, str) and self.custom.get(config) is not None:
            return self.custom[config]  # a function stored by name (Keras' legacy format)
        if isinstance(config, (list, tuple)):
            return [self.rebuild(x) for x in config]
        if isinstance(config, PLAIN_TYPES):
            return config
        if not isinstance(config, dict):
            raise TypeError(f"deserialize_keras_object: could not parse config {config!r}.")
        if "class_name" not in config or "config" not in config:
            return {key: self.rebuild(value) for key, value in config.items()}
        class_name = config["class_name"]
        inner = config["config"] if config["config"] is not None else {}
        special = self._special(class_name, inner)
        if special is not _NOT_SPECIAL:
            return special
        if class_name == "function":
            return self._function(inner, config)
        if not isinstance(inner, dict):
            raise TypeError(
                f"deserialize_keras_object: expected 'config' to be a dict for {class_name!r}; received "
                f"{type(inner).__name__}. Full config: {config}"
            )
        key, cls = self._class(class_name, config)
        if isinstance(cls, types.FunctionType):
            return cls
        if _is_layer_class(cls):
            return self._layer(key, cls, inner)
        if not callable(getattr(cls, "from_config", None)):
            raise TypeError(f"deserialize_keras_object: {class_name!r} has no from_config() method; cannot rebuild it.")
        with CustomObjectScope(self.custom):
            return cls.from_config(inner)

    def _special(self, class_name: Any, inner: Any) -> Any:
        if class_name == "__tensor__":
            dtype = getattr(torch, standardize_dtype(inner["dtype"]), None)  # a checked name, never any attribute
            if not isinstance(dtype, torch.dtype):
                raise TypeError(f"deserialize_keras_object: a tensor cannot have dtype {inner['dtype']!r}.")
            return torch.tensor(inner["value"], dtype=dtype)
        if class_name == "__numpy__":
            return np.array(inner["value"], dtype=standardize_dtype(inner["dtype"]))
        if class_name == "__bytes__":
            return inner["value"].encode("utf-8")
        if class_name == "__ellipsis__":
            return Ellipsis
        if class_name == "__slice__":
            return slice(*(self.rebuild(inner[key]) for key in ("start", "stop", "step")))
        if class_name == "__lambda__":
            raise ValueError(LAMBDA_REFUSED)
        if class_name in ("__keras_tensor__", "__typespec__"):
            raise TypeError(f"deserialize_keras_object: {class_name!r} entries are not supported by fitorch.")
        return _NOT_SPECIAL

    def _lookup(self, name: Any) -> Any:
        if not isinstance(name, str):
            return None
        return get_registered_object(name, self.custom, self.module_objects)

    def _function(self, name: Any, config: dict[str, Any]) -> Any:
        from fitorch import activations
        from fitorch.saving import registry

        if not isinstance(name, str):
            raise TypeError(f"deserialize_keras_object: a function's 'config' must be its name; received {config}.")
        found = self._lookup(name)
        if found is None and name in activations._REGISTRY.names():
            found = activations.get(name)
        if found is None:
            found = registry.builtins("function").get(name)
        if found is None and ">" not in name:  # Keras <= 3.6 stored registered functions by plain name
            found = next((obj for key, obj in self.custom.items() if key.endswith(f">{name}")), None)
        if found is None:
            raise TypeError(
                f"deserialize_keras_object: could not locate function {name!r}. Register it with "
                "@keras.saving.register_keras_serializable() or pass it in custom_objects."
            )
        return found

    def _class(self, class_name: Any, config: dict[str, Any]) -> tuple[str, Any]:
        registered_name = config.get("registered_name", class_name)
        found = self._lookup(registered_name)
        if found is not None:
            return registered_name, found
        module = config.get("module")
        if isinstance(module, str) and isinstance(class_name, str) and module.split(".")[0] in ("keras", "fitorch"):
            tables = _builtin_classes()
            keras_module = "keras" + module[len("fitorch") :] if module.startswith("fitorch") else module
            if keras_module in tables and class_name in tables[keras_module]:
                return class_name, tables[keras_module][class_name]
            # Keras' own configs may name an internal module (keras.src...): accept a unique public match.
            matches = {id(t[class_name]): t[class_name] for t in tables.values() if class_name in t}
            if len(matches) == 1:
                return class_name, next(iter(matches.values()))
        raise TypeError(
            f"deserialize_keras_object: could not locate class {class_name!r}. Make sure custom classes are "
            "registered with @keras.saving.register_keras_serializable() or passed in custom_objects. "
            f"Full object config: {config}"
        )

    def _layer(self, key: str, cls: type, inner: dict[str, Any]) -> nn.Module:
        from fitorch.saving import registry
        from fitorch.saving.serialization import Deserializer

        name = key if registry.NAME_PATTERN.match(key) else cls.__name__
        deserializer = Deserializer({**self.custom, name: cls}, safe_mode=self.safe_mode)
        with CustomObjectScope(self.custom):
            return deserializer.module({"class_name": name, "config": inner}, f"deserialize_keras_object({name!r})")


_NOT_SPECIAL = object()
