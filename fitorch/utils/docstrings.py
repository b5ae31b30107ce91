"""Docstring sections written once and shared by a family of classes or functions."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_PLACEHOLDER = re.compile(r"^([ \t]*)\{(\w+)\}[ \t]*$", re.MULTILINE)


def fill_doc(**sections: str) -> Callable[[T], T]:
    """Class or function decorator: replaces each docstring line that is only ``{name}`` by ``sections[name]``.

    The section text is dedented, then indented as the placeholder line, so one
    shared ``Call arguments`` or ``Output shape`` section reads in every docstring
    (under ``help()`` and in doctests) as if it were written there. Braces anywhere
    else in a docstring are left alone.

    Args:
        **sections: the text of each named section.

    Returns:
        The decorator; it sets ``__doc__`` and returns the object itself.

    Raises:
        KeyError: when a docstring names a section that was not given.

    Example:
        >>> @fill_doc(shapes="Input shape:\\n    Any.")
        ... def identity(x):
        ...     '''Returns ``x``.
        ...
        ...     {shapes}
        ...     '''
        ...     return x
        >>> print(identity.__doc__.strip())
        Returns ``x``.
        <BLANKLINE>
            Input shape:
                Any.
    """

    def indent(match: re.Match) -> str:
        prefix, name = match.group(1), match.group(2)
        if name not in sections:
            raise KeyError(f"fill_doc: the docstring names the section {{{name}}}, which was not given.")
        return textwrap.indent(textwrap.dedent(sections[name]).strip("\n"), prefix)

    def decorate(obj: T) -> T:
        obj.__doc__ = _PLACEHOLDER.sub(indent, obj.__doc__ or "")
        return obj

    return decorate
