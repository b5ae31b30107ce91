"""``UnsafeModelError``: the one error a model or weights file can cause while loading.

Whatever a file holds (a pickle, a class name outside the registry, code, a path that
escapes, a size bomb, a malformed tensor table, or plain corruption), loading it
either succeeds or raises this error. It subclasses ``ValueError``, so code that
already catches ``ValueError`` keeps working.
"""

from __future__ import annotations

from typing import Any

from fitorch.utils.registry import short_repr


class UnsafeModelError(ValueError):
    """A model or weights file was refused: it is malformed, malicious, or needs code fitorch will not run.

    Example:
        >>> import fitorch
        >>> issubclass(fitorch.saving.UnsafeModelError, ValueError)
        True
    """


def quote(value: Any) -> str:
    """``repr`` of a value read from a file, shortened, so messages stay short and printable."""
    return short_repr(value)
