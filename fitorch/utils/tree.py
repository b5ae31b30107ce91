"""Small helpers for nested structures of lists, tuples and dicts.

Model inputs, outputs, losses and batches can be a single tensor, a list, a tuple
or a dict. These helpers flatten and rebuild such structures in a fixed order (dicts
by key order of insertion, as Keras does for functional models).

Example:
    >>> flatten({"a": 1, "b": [2, 3]})
    [1, 2, 3]
    >>> map_structure(lambda v: v * 10, (1, [2, {"k": 3}]))
    (10, [20, {'k': 30}])
    >>> pack_sequence_as({"a": 0, "b": [0, 0]}, [7, 8, 9])
    {'a': 7, 'b': [8, 9]}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def is_nested(value: Any) -> bool:
    """True for lists, tuples (named tuples included) and dicts."""
    return isinstance(value, (list, tuple, dict))


def flatten(structure: Any) -> list[Any]:
    """Returns the leaves of ``structure`` in order."""
    if isinstance(structure, dict):
        return [leaf for value in structure.values() for leaf in flatten(value)]
    if isinstance(structure, (list, tuple)):
        return [leaf for value in structure for leaf in flatten(value)]
    return [structure]


def map_structure(fn: Callable[[Any], Any], structure: Any) -> Any:
    """Applies ``fn`` to every leaf and rebuilds the same structure."""
    if isinstance(structure, dict):
        return type(structure)((k, map_structure(fn, v)) for k, v in structure.items())
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*(map_structure(fn, v) for v in structure))
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, v) for v in structure)
    return fn(structure)


def pack_sequence_as(structure: Any, leaves: list[Any]) -> Any:
    """Rebuilds ``structure`` with its leaves replaced, in order, by ``leaves``."""
    iterator = iter(leaves)
    packed = map_structure(lambda _: next(iterator), structure)
    return packed
