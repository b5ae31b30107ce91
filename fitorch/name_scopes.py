"""``keras.name_scope``: a context manager that opens a sub-namespace for names.

In Keras (torch backend included) a name scope only prefixes the ``path`` of variables
created inside it. fitorch names weights by their place in the ``torch.nn.Module`` tree
(``state_dict`` keys), so entering a scope changes no layer or weight name: the class
keeps Keras' arguments, argument check and nesting (readable with :func:`current_path`)
so that code written for Keras runs unchanged.

Example:
    >>> with name_scope("outer"):
    ...     with name_scope("inner"):
    ...         print(current_path())
    outer/inner
    >>> current_path()
    ''
"""

from __future__ import annotations

import threading
from typing import Any

_LOCAL = threading.local()


def _stack() -> list[name_scope]:
    if not hasattr(_LOCAL, "stack"):
        _LOCAL.stack = []
    return _LOCAL.stack


class name_scope:  # noqa: N801 (Keras' name)
    """Opens the sub-namespace ``name`` for the code inside the ``with`` block (this thread only).

    Args:
        name: the scope's name; a string without ``/``.
        caller: optional object opening the scope (e.g. a layer instance).
        deduplicate: if True and the innermost open scope has the same ``name`` and
            ``caller``, entering does not open a new level.
        override_parent: an absolute path that replaces the enclosing scopes' path.

    Raises:
        ValueError: when ``name`` is not a string or contains ``/``.

    Example:
        >>> with name_scope("block") as scope:
        ...     scope.name
        'block'
    """

    def __init__(self, name: str, caller: Any = None, deduplicate: bool = True, override_parent: str | None = None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"name_scope: argument `name` must be a string and cannot contain the character `/`. "
                f"Received: name={name!r}"
            )
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        if override_parent is None and deduplicate and getattr(caller, "_parent_path", None) is not None:
            self.override_parent = caller._parent_path
        self._pop_on_exit = False

    def __enter__(self) -> name_scope:
        stack = _stack()
        if self.deduplicate and stack and self.caller is not None:
            parent = stack[-1]
            if parent.caller is self.caller and parent.name == self.name:
                return self
        stack.append(self)
        self._pop_on_exit = True
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._pop_on_exit:
            stack = _stack()
            if stack:
                stack.pop()
            self._pop_on_exit = False


def current_path() -> str:
    """The ``/``-joined names of the open scopes of this thread (``''`` when none is open).

    Example:
        >>> with name_scope("a"), name_scope("b", override_parent="root"):
        ...     current_path()
        'root/b'
    """
    path: list[str] = []
    for scope in _stack():
        if scope.override_parent is not None:
            path = [part for part in scope.override_parent.split("/") if part]
        path.append(scope.name)
    return "/".join(path)
