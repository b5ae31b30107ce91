"""String registries: look objects up by their Keras name, and suggest close names.

Every string a user can pass (``'adam'``, ``'relu'``, ``'mse'``, ``'glorot_uniform'``)
is resolved through a :class:`Registry`. An unknown name is a ``ValueError`` that
lists the closest valid names, so a typo teaches instead of failing obscurely.

Example:
    >>> reg = Registry("activation")
    >>> _ = reg.register("relu", abs)
    >>> reg.lookup("relu") is abs
    True
    >>> try:
    ...     reg.lookup("rleu")
    ... except ValueError as e:
    ...     print(str(e).splitlines()[0])
    Unknown activation: 'rleu'. Did you mean 'relu'?
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Iterable
from typing import Any

#: Names longer than this get no "did you mean" suggestions: difflib's cost grows with the
#: product of the lengths, and a 57 MB name from a file took 10-17 s and 2.6 GiB.
MAX_SUGGESTED_NAME_LENGTH = 200
_REPR_LIMIT = 120


def close_matches(name: str, candidates: Iterable[str], cutoff: float = 0.6) -> list[str]:
    """Up to three of ``candidates`` close to ``name``; none for names too long to be a typo.

    Example:
        >>> close_matches("relu6x", ["relu", "relu6", "selu6"])
        ['relu6', 'relu', 'selu6']
        >>> close_matches("x" * 10_000, ["relu"])
        []
    """
    if len(name) > MAX_SUGGESTED_NAME_LENGTH:
        return []
    return difflib.get_close_matches(name, list(candidates), n=3, cutoff=cutoff)


def short_repr(value: Any) -> str:
    """``repr(value)``, cut to a readable length for messages."""
    text = repr(value)
    return text if len(text) <= _REPR_LIMIT else text[: _REPR_LIMIT - 3] + "..."


class Registry:
    """A case-insensitive mapping from names (and their aliases) to objects.

    Args:
        kind: what the registry holds, used in error messages (``"loss"``, ...).
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, Any] = {}

    def register(self, names: str | Iterable[str], obj: Any) -> Any:
        """Registers ``obj`` under one name or several aliases and returns it."""
        for name in [names] if isinstance(names, str) else names:
            self._entries[name.lower()] = obj
        return obj

    def names(self) -> list[str]:
        """Returns every registered name, sorted."""
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._entries

    def lookup(self, name: str) -> Any:
        """Returns the object registered under ``name``.

        Raises:
            ValueError: when ``name`` is unknown; the message suggests close names.
        """
        try:
            return self._entries[name.lower()]
        except KeyError:
            raise ValueError(self.unknown_message(name)) from None

    def resolve(self, config: dict[str, Any], key: str) -> dict[str, Any]:
        """A copy of ``config`` in which a string ``config[key]`` is replaced by the object registered under it.

        Example:
            >>> registry = Registry("function")
            >>> _ = registry.register("double", lambda x: 2 * x)
            >>> registry.resolve({"fn": "double", "k": 1}, "fn")["fn"](3)
            6
        """
        config = dict(config)
        if isinstance(config.get(key), str):
            config[key] = self.lookup(config[key])
        return config

    def unknown_message(self, name: str) -> str:
        close = close_matches(name.lower(), self._entries, cutoff=0.5)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        return f"Unknown {self.kind}: {short_repr(name)}.{hint}\nValid names: {', '.join(self.names())}."

    # ------------------------------------------------------------------ configurable objects
    def get_object(self, identifier: Any, base: type, example: str) -> Any:
        """Resolves a name, a ``{'class_name', 'config'}`` dict, a class, an instance, a callable or ``None``.

        Raises:
            ValueError: for an unknown name.
            TypeError: for anything else, naming what was expected.
        """
        if identifier is None:
            return None
        if isinstance(identifier, str):
            return self.lookup(identifier)()
        if isinstance(identifier, dict):
            return self.from_config(identifier, base)
        if inspect.isclass(identifier) and issubclass(identifier, base):
            return identifier()
        if callable(identifier):
            return identifier
        raise TypeError(
            f"{self.kind}: expected a name such as {example!r}, a config dict, a {base.__name__}, a callable "
            f"or None; received {identifier!r} of type {type(identifier).__name__}."
        )

    def to_config(self, obj: Any, base: type) -> Any:
        """Plain data (``{'class_name', 'config'}``) that ``get_object`` turns back into ``obj``.

        Raises:
            TypeError: for a plain callable, which has no config.
        """
        if obj is None or isinstance(obj, str):
            return obj
        if isinstance(obj, base):
            return {"class_name": type(obj).__name__, "config": obj.get_config()}
        raise TypeError(
            f"{self.kind}: {obj!r} is a plain callable and cannot be serialized; subclass "
            f"{base.__module__.split('.')[0]}.{base.__module__.split('.')[1]}.{base.__name__} and implement get_config()."
        )

    def keras_functions(self, base: type, example: str, module: str) -> tuple[Callable[..., Any], ...]:
        """The ``get``, ``serialize`` and ``deserialize`` of a Keras namespace whose objects are ``base``s.

        Args:
            base: the namespace's base class (``Regularizer``, ``Constraint``).
            example: a registered name that error messages show as an example.
            module: the namespace's module name, which the functions report as theirs.

        Example:
            >>> class Shape: ...
            >>> registry = Registry("shape")
            >>> _ = registry.register("shape", Shape)
            >>> get, serialize, deserialize = registry.keras_functions(Shape, "shape", __name__)
            >>> type(get("shape")).__name__, get.__name__
            ('Shape', 'get')
        """
        kind = self.kind

        def get(identifier: Any) -> Any:
            return self.get_object(identifier, base, example)

        def serialize(obj: Any) -> dict[str, Any] | str | None:
            return self.to_config(obj, base)

        def deserialize(config: dict[str, Any]) -> Any:
            return self.from_config(config, base)

        get.__doc__ = f"""Returns a {kind} for a name, a config dict, a class, an instance, a callable or ``None``.

        Raises:
            ValueError: for an unknown name (the message suggests close names).
            TypeError: for anything else.
        """
        serialize.__doc__ = f"""Returns plain data (``{{'class_name', 'config'}}``) that ``get`` turns back into the {kind}.

        Raises:
            TypeError: for a plain callable, which has no config.
        """
        deserialize.__doc__ = f"""Rebuilds a {kind} from ``serialize``'s output (Keras' extra keys are ignored).

        Raises:
            ValueError: if ``config`` has no ``class_name``, or names an unknown class.
        """
        for function in (get, serialize, deserialize):
            function.__module__, function.__qualname__ = module, function.__name__
        return get, serialize, deserialize

    def from_config(self, config: Any, base: type) -> Any:
        """Rebuilds an object from ``to_config``'s output (Keras' extra keys are ignored).

        Raises:
            ValueError: if ``config`` has no ``class_name``, or names an unknown class.
        """
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(
                f"{self.kind}: a config must be a dict with 'class_name' and 'config'; received {config!r}."
            )
        factory = self.lookup(config["class_name"])
        if inspect.isclass(factory) and issubclass(factory, base):
            return factory.from_config(dict(config.get("config") or {}))
        return factory()
