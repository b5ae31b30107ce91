"""Keras' custom-object API: ``register_keras_serializable``, ``custom_object_scope`` and friends.

They are the Keras spelling of :func:`fitorch.saving.register_serializable` and share its
registry: an object registered either way is found by ``load_model``, ``from_config`` and
:func:`deserialize_keras_object`. A :class:`CustomObjectScope` makes objects visible to the
same look-ups for the duration of a ``with`` block; it lives in a ``contextvars`` variable, so
a scope in one thread or asyncio task is not seen by another.

Example:
    >>> import fitorch
    >>> @register_keras_serializable(package="docs_custom")
    ... def scaled_relu(x):
    ...     return 2 * fitorch.ops.relu(x)
    >>> get_registered_name(scaled_relu)
    'docs_custom>scaled_relu'
    >>> get_registered_object("docs_custom>scaled_relu") is scaled_relu
    True
    >>> def my_loss(y_true, y_pred):
    ...     return (y_true - y_pred) ** 2
    >>> with custom_object_scope({"my_loss": my_loss}):
    ...     get_registered_object("my_loss") is my_loss
    True
    >>> get_registered_object("my_loss") is None
    True
"""

from __future__ import annotations

import contextvars
import inspect
import types
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

_EMPTY: Mapping[str, Any] = types.MappingProxyType({})
_SCOPE: contextvars.ContextVar[Mapping[str, Any]] = contextvars.ContextVar("fitorch_custom_objects", default=_EMPTY)


def scope_objects() -> Mapping[str, Any]:
    """The objects of the innermost active :class:`CustomObjectScope` (read-only; empty outside any scope)."""
    return _SCOPE.get()


def _check_objects(custom_objects: Any, caller: str) -> dict[str, Any]:
    if custom_objects is None:
        return {}
    if not isinstance(custom_objects, Mapping) or not all(isinstance(k, str) for k in custom_objects):
        raise TypeError(
            f"{caller}: custom_objects must be a dict mapping names (str) to classes or functions; "
            f"received {custom_objects!r}."
        )
    return dict(custom_objects)


class CustomObjectScope:
    """Makes custom classes and functions visible to deserialization inside a ``with`` block.

    Inside the scope, ``load_model``, ``model_from_json``, ``from_config`` and
    :func:`deserialize_keras_object` find the objects by their key, as if they had been
    passed as ``custom_objects``. As in Keras 3, an inner scope replaces the outer one
    for its duration (it does not merge with it). The scope is a ``contextvars`` variable,
    so it is local to the current thread or asyncio task.

    Args:
        custom_objects: a dict ``{name: class_or_function}``; ``None`` for an empty scope.

    Raises:
        TypeError: if ``custom_objects`` is not a dict with string keys.

    Example:
        >>> import fitorch
        >>> class Twice(fitorch.layers.Layer):
        ...     def call(self, x):
        ...         return 2 * x
        >>> config = {"module": None, "class_name": "Twice", "config": {"name": "twice"}, "registered_name": "Twice"}
        >>> with CustomObjectScope({"Twice": Twice}):
        ...     layer = fitorch.saving.deserialize_keras_object(config)
        >>> type(layer).__name__, layer.name
        ('Twice', 'twice')
    """

    def __init__(self, custom_objects: Mapping[str, Any] | None = None) -> None:
        self.custom_objects = _check_objects(custom_objects, "CustomObjectScope")
        self._tokens: list[contextvars.Token[Mapping[str, Any]]] = []

    def __enter__(self) -> CustomObjectScope:
        self._tokens.append(_SCOPE.set(types.MappingProxyType(dict(self.custom_objects))))
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _SCOPE.reset(self._tokens.pop())


#: Keras exports the class under both names.
custom_object_scope = CustomObjectScope


def register_keras_serializable(package: str = "Custom", name: str | None = None) -> Callable[[T], T]:
    """Registers a class or function with fitorch's serialization, as ``'package>name'`` (Keras' spelling).

    The same registry as :func:`fitorch.saving.register_serializable`: saved models can
    name the object and loading finds it without ``custom_objects``.

    Args:
        package: the package the object belongs to; the first part of the key. Default ``'Custom'``.
        name: the name within the package; defaults to the object's ``__name__``.

    Returns:
        A decorator that registers its argument and returns it unchanged.

    Raises:
        ValueError: for a class without ``get_config()`` (as Keras), or a package/name that is
            not made of letters, digits, ``_``, ``.`` and ``-``.

    Example:
        >>> import fitorch
        >>> @register_keras_serializable("docs_pkg")
        ... class MyDense(fitorch.layers.Dense):
        ...     pass
        >>> get_registered_object("docs_pkg>MyDense") is MyDense
        True
        >>> get_registered_name(MyDense)
        'docs_pkg>MyDense'
    """
    from fitorch.saving import registry

    register = registry.register_serializable(package=package, name=name)

    def decorator(obj: T) -> T:
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"register_keras_serializable: cannot register the class {obj.__name__}, which has no get_config() "
                "method. Give it a get_config() returning its __init__ arguments."
            )
        return register(obj)

    return decorator


def get_custom_objects() -> dict[str, Any]:
    """The live, global dict of registered objects (``'package>name' -> object``), as Keras'.

    Adding an entry makes the object loadable under that key. Objects of a
    :class:`CustomObjectScope` are not in it.

    Example:
        >>> def leaky(x):
        ...     return x
        >>> get_custom_objects()["docs_leaky"] = leaky
        >>> get_registered_object("docs_leaky") is leaky
        True
        >>> del get_custom_objects()["docs_leaky"]
    """
    from fitorch.saving import registry

    return registry.global_custom_objects()


def get_registered_name(obj: Any) -> str:
    """The name ``obj`` was registered under, or its ``__name__`` when it is not registered.

    Raises:
        TypeError: for an object with neither (an instance rather than a class or function).

    Example:
        >>> import fitorch
        >>> get_registered_name(fitorch.layers.Dense)
        'Dense'
    """
    from fitorch.saving import registry

    found = registry.registered_name(obj)
    if found is not None:
        return found
    plain = getattr(obj, "__name__", None)
    if not isinstance(plain, str):
        raise TypeError(
            f"get_registered_name: expected a class or function; received {type(obj).__name__} {obj!r}, "
            "which has no __name__."
        )
    return plain


def get_registered_object(
    name: str, custom_objects: Mapping[str, Any] | None = None, module_objects: Mapping[str, Any] | None = None
) -> Any:
    """The object known as ``name``, or ``None``: looked up in the active scope, the registry,
    ``custom_objects`` and ``module_objects``, in that order (as Keras).

    Args:
        name: the key to look up, e.g. ``'my_package>MyLayer'``.
        custom_objects: extra ``{name: object}`` to search (usually the user's).
        module_objects: extra ``{name: object}`` to search last (usually a library's).

    Example:
        >>> get_registered_object("no_such_thing") is None
        True
        >>> get_registered_object("f", custom_objects={"f": len}) is len
        True
    """
    from fitorch.saving import registry

    scope = scope_objects()
    if name in scope:
        return scope[name]
    registered = registry.global_custom_objects()
    if name in registered:
        return registered[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None
