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
from collections.abc import Iterable
from typing import Any


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

    def unknown_message(self, name: str) -> str:
        close = difflib.get_close_matches(name.lower(), self._entries, n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        return f"Unknown {self.kind}: {name!r}.{hint}\nValid names: {', '.join(self.names())}."
