"""Unique, Keras-style default names: ``dense``, ``dense_1``, ``dense_2`` ...

Example:
    >>> to_snake_case("GlobalAveragePooling2D")
    'global_average_pooling2d'
"""

from __future__ import annotations

import collections
import re
import threading

_counts: collections.Counter[str] = collections.Counter()
_lock = threading.Lock()


def to_snake_case(name: str) -> str:
    """Converts a class name to the snake_case Keras uses for default layer names."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base: str) -> str:
    """Returns ``base`` the first time, then ``base_1``, ``base_2`` ... in this process."""
    with _lock:
        count = _counts[base]
        _counts[base] += 1
    return base if count == 0 else f"{base}_{count}"


def next_uid(prefix: str = "") -> int:
    """Keras' ``get_uid``: 1, 2, 3 ... per prefix, on the counter default names use (``dense`` is 1)."""
    with _lock:
        _counts[prefix] += 1
        return _counts[prefix]


def reset_names() -> None:
    """Restarts default numbering (``fitorch.utils.clear_session()`` calls this)."""
    with _lock:
        _counts.clear()
