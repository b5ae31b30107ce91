"""The only places a class or function named in a file can come from.

A name in a file is looked up, never imported: first in the ``custom_objects`` the
caller passes, then in the active ``custom_object_scope`` (see
:mod:`fitorch.utils.custom_objects`), then among objects registered with
:func:`register_serializable`, then in fitorch's own public namespaces (``fitorch.layers``, ``fitorch.losses``,
``fitorch.metrics``, ``fitorch.optimizers``, and ``torch.optim``'s optimizers under
``'torch.optim>Name'``). A dotted path such as ``'os.system'`` is refused outright.

Example:
    >>> import fitorch
    >>> resolve("Dense", "layer") is fitorch.layers.Dense
    True
    >>> try:
    ...     resolve("os.system", "layer")
    ... except fitorch.saving.UnsafeModelError as e:
    ...     print(str(e).splitlines()[0])
    The file names 'os.system', a dotted path into a Python module (the attack of CVE-2025-1550).
"""

from __future__ import annotations

import functools
import inspect
import re
import threading
import types
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import torch
from torch import nn

from fitorch.saving.errors import UnsafeModelError, quote
from fitorch.utils.custom_objects import scope_objects
from fitorch.utils.registry import close_matches

T = TypeVar("T")

#: ``Name``, or ``package>Name`` for registered objects; nothing else is ever looked up.
NAME_PATTERN = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9_.\-]{0,99}>)?[A-Za-z_][A-Za-z0-9_]{0,99}$")
KINDS = ("layer", "loss", "metric", "optimizer", "function")

_lock = threading.Lock()
_registered: dict[str, Any] = {}
_registered_names: dict[Any, str] = {}


def register_serializable(package: str = "Custom", name: str | None = None) -> Callable[[T], T]:
    """Registers a class or function so that saved models can name it and loading can find it.

    The object is stored under ``'package>name'`` (``name`` defaults to its
    ``__name__``). A registered layer or model class needs a ``get_config()`` that
    returns its ``__init__`` arguments as JSON data; ``from_config(config)`` (by
    default ``cls(**config)``) rebuilds it.

    Args:
        package: a namespace for your objects, e.g. your package's name.
        name: the name to register under; defaults to the object's ``__name__``.

    Raises:
        ValueError: if the package or name is not made of letters, digits, ``_``, ``.`` and ``-``.

    Example:
        >>> import fitorch
        >>> @fitorch.saving.register_serializable(package="docs")
        ... class Scale(fitorch.layers.Layer):
        ...     def __init__(self, factor=2.0, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.factor = factor
        ...     def call(self, x):
        ...         return x * self.factor
        ...     def get_config(self):
        ...         return {**super().get_config(), "factor": self.factor}
        >>> registered_name(Scale)
        'docs>Scale'
    """

    def decorator(obj: T) -> T:
        object_name = name or getattr(obj, "__name__", None)
        full_name = f"{package}>{object_name}"
        if not isinstance(object_name, str) or not NAME_PATTERN.match(full_name) or ">" in (name or ""):
            raise ValueError(
                f"register_serializable: package {package!r} and name {object_name!r} must be made of letters, "
                "digits, '_', '.' and '-' (the name: a Python identifier)."
            )
        if not (inspect.isclass(obj) or callable(obj)):
            raise TypeError(f"register_serializable: expected a class or function; received {obj!r}.")
        with _lock:
            _registered[full_name] = obj
            _registered_names[obj] = full_name
        return obj

    return decorator


def registered_name(obj: Any) -> str | None:
    """The ``'package>name'`` an object was registered under, or ``None``."""
    try:
        return _registered_names.get(obj)
    except TypeError:  # unhashable
        return None


def global_custom_objects() -> dict[str, Any]:
    """The live registry dict (``'package>name' -> object``) that Keras' ``get_custom_objects()`` returns."""
    return _registered


def all_registered() -> dict[str, Any]:
    """Every registered object, under its full name and its short name, then the active scope's objects."""
    with _lock:
        items = list(_registered.items())
    return {**{name.rsplit(">", 1)[-1]: obj for name, obj in items}, **dict(items), **scope_objects()}


def _in_scope(name: str) -> Any:
    scope = scope_objects()
    return scope.get(name, scope.get(name.rsplit(">", 1)[-1]))


def registered(name: str) -> Any:
    """The object the active ``custom_object_scope`` or the registry has under ``name``, or ``None``."""
    found = _in_scope(name)
    return found if found is not None else _registered.get(name)


def _classes(module: Any, base: type) -> dict[str, Any]:
    found = {}
    for name in getattr(module, "__all__", []):
        value = getattr(module, name, None)
        if inspect.isclass(value) and issubclass(value, base):
            found[name] = value
    return found


def builtins(kind: str) -> Mapping[str, Any]:
    """fitorch's own objects of ``kind``, by the name files use for them (read from the public API).

    The table is built once per kind (fitorch's public modules don't change after import),
    so a 20,000-layer file does not rebuild it per layer.
    """
    return _builtin_table(kind)


@functools.cache
def _builtin_table(kind: str) -> Mapping[str, Any]:
    return types.MappingProxyType(_collect_builtins(kind))


@functools.cache
def _builtin_names(kind: str) -> dict[Any, str]:
    names: dict[Any, str] = {}
    for name, value in _builtin_table(kind).items():
        try:
            names.setdefault(value, name)
        except TypeError:  # an unhashable object cannot be looked up by identity here
            continue
    return names


def _collect_builtins(kind: str) -> dict[str, Any]:
    import fitorch
    from fitorch import losses, metrics, optimizers
    from fitorch.losses.registry import LOSS_FUNCTIONS
    from fitorch.metrics.registry import METRIC_FUNCTIONS
    from fitorch.models.wrap import WrappedModule

    if kind == "layer":
        found = _classes(fitorch.layers, nn.Module)
        found.pop("Layer", None)
        found.update(Functional=fitorch.Functional, Sequential=fitorch.Sequential, WrappedModule=WrappedModule)
        return found
    if kind == "loss":
        return _classes(losses, losses.Loss)
    if kind == "metric":
        return _classes(metrics, metrics.Metric)
    if kind == "optimizer":
        found = _classes(optimizers, optimizers.Optimizer)
        found.pop("Optimizer", None)
        for name in dir(torch.optim):
            value = getattr(torch.optim, name)
            if (
                inspect.isclass(value)
                and issubclass(value, torch.optim.Optimizer)
                and value is not torch.optim.Optimizer
            ):
                found[f"torch.optim>{name}"] = value
        return found
    if kind == "function":
        return {name: LOSS_FUNCTIONS.lookup(name) for name in LOSS_FUNCTIONS.names()} | {
            name: METRIC_FUNCTIONS.lookup(name) for name in METRIC_FUNCTIONS.names()
        }
    raise ValueError(f"Unknown kind {kind!r}; expected one of {KINDS}.")


def builtin_name(obj: Any, kind: str) -> str | None:
    """The name fitorch's registry knows ``obj`` by, or ``None``."""
    try:
        return _builtin_names(kind).get(obj)
    except TypeError:  # unhashable
        return None


def name_of(obj: Any, kind: str) -> str | None:
    """The name to store for a class or function: registered, else built-in, else ``None``."""
    if isinstance(obj, type):  # a functional subclass's variant class is stored as the user's class
        obj = obj.__dict__.get("_fitorch_serializes_as", obj)
    return registered_name(obj) or builtin_name(obj, kind)


def check_name(name: Any) -> str:
    """Returns ``name`` if it is a plain registry name; raises ``UnsafeModelError`` otherwise."""
    if not isinstance(name, str):
        raise UnsafeModelError(f"A class or function name must be a string; the file has {quote(name)}.")
    if NAME_PATTERN.match(name):
        return name
    if "." in name and re.match(r"^[A-Za-z_][\w.]*$", name):
        raise UnsafeModelError(
            f"The file names {quote(name)}, a dotted path into a Python module (the attack of CVE-2025-1550).\n"
            "fitorch never imports modules or looks up names a file chooses: classes and functions come only "
            "from fitorch's registry, from @fitorch.saving.register_serializable, and from custom_objects."
        )
    raise UnsafeModelError(f"The file names {quote(name)}, which is not a valid class or function name.")


def _kind_ok(obj: Any, kind: str) -> bool:
    from fitorch import losses, metrics

    if kind == "layer":
        return inspect.isclass(obj) and issubclass(obj, nn.Module)
    if kind == "optimizer":
        return inspect.isclass(obj) and issubclass(obj, torch.optim.Optimizer)
    if kind == "loss":
        return (inspect.isclass(obj) and issubclass(obj, losses.Loss)) or (callable(obj) and not inspect.isclass(obj))
    if kind == "metric":
        return (inspect.isclass(obj) and issubclass(obj, (metrics.Metric, losses.Loss))) or (
            callable(obj) and not inspect.isclass(obj)
        )
    return callable(obj) and not inspect.isclass(obj)


def resolve(name: Any, kind: str, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Looks ``name`` up for an object of ``kind`` (``'layer'``, ``'loss'``, ``'metric'``, ``'optimizer'``, ``'function'``).

    Raises:
        UnsafeModelError: for a dotted path, an unknown name (the message says how to
            register it), or an object of the wrong kind.
    """
    name = check_name(name)
    short = name.rsplit(">", 1)[-1]
    custom = custom_objects or {}
    obj = custom.get(name, custom.get(short))
    if obj is None:
        obj = registered(name)
    if obj is None:
        obj = builtins(kind).get(name)
    if obj is None:
        known = [*builtins(kind), *_registered]
        close = close_matches(name, known)
        hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise UnsafeModelError(
            f"Unknown {kind} {quote(name)} in the file.{hint}\nfitorch only creates objects it knows: its own "
            f"classes, classes and functions registered with @fitorch.saving.register_serializable(package=...), "
            f"and what you pass as custom_objects={{{short!r}: ...}} to load_model."
        )
    if not _kind_ok(obj, kind):
        raise UnsafeModelError(f"The file uses {quote(name)} as a {kind}, but it is {quote(obj)}.")
    return obj
