"""``keras.tree``: flatten, map and rebuild nested structures of lists, tuples and dicts.

Nodes are lists, tuples, named tuples, dicts (``OrderedDict`` and ``defaultdict``
included) and deques; everything else (``None`` and ``torch.Size`` included) is a leaf.
As in Keras, a ``dict`` or ``defaultdict`` is read in **sorted key order** at every depth
(an ``OrderedDict`` in its own order), while rebuilt dicts keep the key order of the
structure they copy. These are the semantics of Keras' reference implementation (optree,
used by its JAX, TensorFlow and NumPy backends, and its docstrings); Keras 3.15's torch
backend differs in corners (it sorts only the outermost dicts it meets, returns them
sorted, numbers named-tuple fields by sorted name and treats ``torch.Size`` as a node).
fitorch's internal helpers (:mod:`fitorch.utils.tree`) keep insertion order instead,
which functional models rely on; that is why this module has its own walk.

Example:
    >>> flatten({"b": 1, "a": [2, 3]})
    [2, 3, 1]
    >>> pack_sequence_as({"b": 0, "a": [0, 0]}, [7, 8, 9])
    {'b': 9, 'a': [7, 8]}
    >>> map_structure(lambda v: v * 10, (1, [2, {"k": 3}]))
    (10, [20, {'k': 30}])
"""

from __future__ import annotations

import warnings
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten", "flatten_with_path", "is_nested",
    "lists_to_tuples", "map_shape_structure", "map_structure", "map_structure_up_to", "pack_sequence_as", "traverse",
]  # fmt: skip

_NODE_TYPES = (list, tuple, dict, OrderedDict, defaultdict, deque)
_MISMATCH = "The two structures don't have the same nested structure."


class MAP_TO_NONE:  # noqa: N801 (Keras' name)
    """Returned by a :func:`traverse` function to replace a sub-tree with ``None``.

    Example:
        >>> traverse(lambda x: MAP_TO_NONE if x == 2 else None, [1, 2])
        [1, None]
    """


def _is_namedtuple(value: Any) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def is_nested(structure: Any) -> bool:
    """True for a list, tuple, named tuple, dict or deque; False for a leaf.

    Args:
        structure: any value.

    Returns:
        Whether ``structure`` is a node of a nested structure.

    Example:
        >>> is_nested(42), is_nested({"foo": 42}), is_nested("text")
        (False, True, False)
    """
    return type(structure) in _NODE_TYPES or _is_namedtuple(structure)


def _keys(node: Any) -> list[Any]:
    """The child keys of a node in visiting order: dict keys (sorted unless ``OrderedDict``), else indices."""
    if isinstance(node, dict):
        if type(node) is not OrderedDict:
            try:
                return sorted(node)
            except TypeError as error:
                raise TypeError(
                    f"fitorch.tree: dict keys must be sortable (Keras orders dicts by key); received keys "
                    f"{list(node)!r}."
                ) from error
        return list(node)
    return list(range(len(node)))


def _rebuild(node: Any, keys: Sequence[Any], values: Sequence[Any]) -> Any:
    """A node of ``node``'s type holding ``values`` under ``keys``; dicts keep ``node``'s key order."""
    if isinstance(node, dict):
        by_key = dict(zip(keys, values, strict=True))
        items = [(key, by_key[key]) for key in node]
        if type(node) is defaultdict:
            return defaultdict(node.default_factory, items)
        return type(node)(items)
    if _is_namedtuple(node):
        return type(node)(*values)
    if type(node) is deque:
        return deque(values, maxlen=node.maxlen)
    return type(node)(values)


def _kind(node: Any) -> Any:
    """The type two nodes must share to match; dict, OrderedDict and defaultdict count as one."""
    return dict if isinstance(node, dict) else type(node)


def _check_callable(func: Any, where: str) -> None:
    if not callable(func):
        raise TypeError(f"tree.{where}: func must be callable; received {func!r} of type {type(func).__name__}.")


def _leaves_with_paths(structure: Any, path: tuple[Any, ...], out: list[tuple[tuple[Any, ...], Any]]) -> None:
    if not is_nested(structure):
        out.append((path, structure))
        return
    for key in _keys(structure):
        _leaves_with_paths(structure[key], (*path, key), out)


def flatten_with_path(structure: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """Returns ``(path, leaf)`` pairs; a path is the tuple of indices and dict keys leading to the leaf.

    Args:
        structure: an arbitrarily nested structure.

    Returns:
        The pairs, in :func:`flatten`'s order.

    Example:
        >>> flatten_with_path([{"foo": 42}])
        [((0, 'foo'), 42)]
    """
    out: list[tuple[tuple[Any, ...], Any]] = []
    _leaves_with_paths(structure, (), out)
    return out


def flatten(structure: Any) -> list[Any]:
    """Returns the leaves of ``structure`` in order (dicts by sorted key, ``OrderedDict`` in its order).

    Args:
        structure: an arbitrarily nested structure.

    Returns:
        The list of leaves; ``[structure]`` for a leaf.

    Example:
        >>> flatten([[1, 2, 3], [4, [5], [[6]]]])
        [1, 2, 3, 4, 5, 6]
        >>> flatten({100: "world!", 6: "Hello"})
        ['Hello', 'world!']
    """
    return [leaf for _, leaf in flatten_with_path(structure)]


def pack_sequence_as(structure: Any, flat_sequence: Sequence[Any]) -> Any:
    """Returns ``structure`` rebuilt with its leaves replaced, in :func:`flatten`'s order, by ``flat_sequence``.

    Values go to dict entries in sorted key order; the dicts keep ``structure``'s key order.

    Args:
        structure: an arbitrarily nested structure.
        flat_sequence: as many values as ``structure`` has leaves.

    Returns:
        The packed structure.

    Raises:
        ValueError: when the number of values differs from the number of leaves.

    Example:
        >>> pack_sequence_as((("a", "b"), ("c", "d", "e"), "f"), [1, 2, 3, 4, 5, 6])
        ((1, 2), (3, 4, 5), 6)
    """
    flat = list(flat_sequence)
    count = len(flatten(structure))
    if len(flat) != count:
        raise ValueError(
            f"tree.pack_sequence_as: the structure has {count} leaves but flat_sequence has {len(flat)} items."
        )
    iterator = iter(flat)

    def pack(node: Any) -> Any:
        if not is_nested(node):
            return next(iterator)
        keys = _keys(node)
        return _rebuild(node, keys, [pack(node[key]) for key in keys])

    return pack(structure)


def _match(reference: Any, others: Sequence[Any]) -> None:
    """Raises ValueError unless every node of ``others`` has ``reference``'s kind and keys."""
    for other in others:
        if not is_nested(other) or _kind(other) is not _kind(reference):
            raise ValueError(
                f"{_MISMATCH} Expected a {type(reference).__name__} node; received {type(other).__name__}: {other!r}."
            )
        if isinstance(reference, dict):
            if set(reference) != set(other):
                raise ValueError(
                    f"{_MISMATCH} Dict keys differ: {sorted(reference, key=repr)} and {sorted(other, key=repr)}."
                )
        elif len(reference) != len(other):
            raise ValueError(f"{_MISMATCH} Node lengths differ: {len(reference)} and {len(other)}.")


def map_structure(func: Callable[..., Any], *structures: Any, none_is_leaf: bool = True) -> Any:
    """Applies ``func`` to the matching leaves of ``structures`` and rebuilds the first one's layout.

    Dicts are matched by key (visited in sorted key order) and keep the first structure's key order.

    Args:
        func: a callable taking one argument per structure.
        *structures: structures of the same layout.
        none_is_leaf: when False, ``None`` leaves are returned as ``None`` without calling ``func``
            (the other structures must hold ``None`` there too).

    Returns:
        A new structure with the first structure's layout.

    Raises:
        ValueError: for no structures, or structures whose layouts differ.
        TypeError: when ``func`` is not callable.

    Example:
        >>> map_structure(lambda x, y: x * y, [[1], [2], [3]], [[1], [2], [3]])
        [[1], [4], [9]]
    """
    _check_callable(func, "map_structure")
    if not structures:
        raise ValueError("tree.map_structure: must provide at least one structure.")

    def walk(nodes: tuple[Any, ...]) -> Any:
        first = nodes[0]
        if not is_nested(first):
            if first is None and not none_is_leaf:
                if any(node is not None for node in nodes):
                    raise ValueError(f"{_MISMATCH} Some arguments are None, others are not: {nodes!r}.")
                return None
            return func(*nodes)
        _match(first, nodes[1:])
        keys = _keys(first)
        return _rebuild(first, keys, [walk(tuple(node[key] for node in nodes)) for key in keys])

    return walk(structures)


def map_structure_up_to(shallow_structure: Any, func: Callable[..., Any], *structures: Any) -> Any:
    """Maps ``func`` through ``structures`` down to the leaves of ``shallow_structure`` only.

    Deeper parts of ``structures`` are passed to ``func`` whole.

    Args:
        shallow_structure: the layout to map down to.
        func: a callable taking one argument per structure.
        *structures: structures at least as deep as ``shallow_structure``.

    Returns:
        A new structure with ``shallow_structure``'s layout.

    Raises:
        ValueError: for no structures, or a structure shallower than ``shallow_structure``.
        TypeError: when ``func`` is not callable.

    Example:
        >>> map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]])
        ['[1, 1]', ['2', '2']]
    """
    _check_callable(func, "map_structure_up_to")
    if not structures:
        raise ValueError("tree.map_structure_up_to: must provide at least one structure.")

    def walk(shallow: Any, nodes: tuple[Any, ...]) -> Any:
        if not is_nested(shallow):
            return func(*nodes)
        _match(shallow, nodes)
        keys = _keys(shallow)
        return _rebuild(shallow, keys, [walk(shallow[key], tuple(node[key] for node in nodes)) for key in keys])

    return walk(shallow_structure, structures)


def assert_same_structure(a: Any, b: Any, check_types: bool | None = None) -> None:
    """Raises ValueError unless ``a`` and ``b`` are nested the same way (node types and keys; leaves may differ).

    A list, a tuple, a deque and each named tuple class are different node types; ``dict``,
    ``OrderedDict`` and ``defaultdict`` match when their keys do.

    Args:
        a: a structure.
        b: a structure.
        check_types: deprecated in Keras and without effect (a ``DeprecationWarning`` when given).

    Raises:
        ValueError: when the structures differ.

    Example:
        >>> assert_same_structure([(0, 1)], [(2, 3)])
        >>> try:
        ...     assert_same_structure([0, 1], (0, 1))
        ... except ValueError as error:
        ...     print(str(error).split(".")[0])
        The two structures don't have the same nested structure
    """
    if check_types is not None:
        warnings.warn(
            "tree.assert_same_structure: the `check_types` argument is deprecated and has no effect; use "
            "`assert_same_paths` for a check that lets lists, tuples and named tuples match.",
            DeprecationWarning,
            stacklevel=2,
        )

    def walk(x: Any, y: Any) -> None:
        if not is_nested(x):
            if is_nested(y):
                raise ValueError(f"{_MISMATCH} Expected a leaf; received {type(y).__name__}: {y!r}.")
            return
        _match(x, (y,))
        for key in _keys(x):
            walk(x[key], y[key])

    walk(a, b)


def assert_same_paths(a: Any, b: Any) -> None:
    """Raises ValueError unless ``a`` and ``b`` have the same leaf paths (node types are not compared).

    Args:
        a: a structure.
        b: a structure.

    Raises:
        ValueError: naming the paths found in only one of them.

    Example:
        >>> assert_same_paths([0, 1], (2, 3))
    """
    a_paths = {path for path, _ in flatten_with_path(a)}
    b_paths = {path for path, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        message = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            message += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            message += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(message)


def traverse(func: Callable[[Any], Any], structure: Any, top_down: bool = True) -> Any:
    """Applies ``func`` to every sub-structure (depth first) and returns the rewritten structure.

    Top-down, a ``func`` result of ``None`` continues into the sub-tree and anything else
    replaces it (without visiting it). Bottom-up, children are rewritten first and ``None``
    keeps the node. :class:`MAP_TO_NONE` stands for "replace with ``None``". Dict entries
    are visited in sorted key order.

    Args:
        func: called with each sub-structure and leaf.
        structure: the structure to traverse.
        top_down: visit parents before their children.

    Returns:
        The rewritten structure.

    Raises:
        TypeError: when ``func`` is not callable.

    Example:
        >>> visited = []
        >>> traverse(visited.append, [(1, 2), [3], {"a": 4}], top_down=False)
        [(1, 2), [3], {'a': 4}]
        >>> visited
        [1, 2, (1, 2), 3, [3], 4, {'a': 4}, [(1, 2), [3], {'a': 4}]]
    """
    _check_callable(func, "traverse")

    def children(node: Any) -> Any:
        if not is_nested(node):
            return node
        keys = _keys(node)
        return _rebuild(node, keys, [walk(node[key]) for key in keys])

    def walk(node: Any) -> Any:
        if top_down:
            result = func(node)
            if result is None:
                return children(node)
        else:
            node = children(node)
            result = func(node)
            if result is None:
                return node
        return None if result is MAP_TO_NONE else result

    return walk(structure)


def lists_to_tuples(structure: Any) -> Any:
    """Returns ``structure`` with every list (at any depth) turned into a tuple.

    Args:
        structure: a nested structure.

    Returns:
        The same structure with tuples for lists.

    Example:
        >>> lists_to_tuples([1, [2, {"a": [3]}]])
        (1, (2, {'a': (3,)}))
    """
    return traverse(lambda node: tuple(node) if isinstance(node, list) else None, structure, top_down=False)


def _is_shape(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(e, (int, type(None))) for e in value)


def map_shape_structure(func: Callable[[Any], Any], structure: Any) -> Any:
    """Maps ``func`` over a structure of shapes: lists/tuples of ints and ``None`` are the leaves.

    Args:
        func: called with each shape.
        structure: a nested structure of shapes.

    Returns:
        The structure of ``func``'s results.

    Raises:
        TypeError: when ``func`` is not callable.

    Example:
        >>> map_shape_structure(len, {"b": (1, None), "a": [(2, 3), [4]]})
        {'b': 2, 'a': [2, 1]}
    """
    _check_callable(func, "map_shape_structure")

    def walk(node: Any) -> Any:
        if _is_shape(node) or not is_nested(node):
            return func(node)
        keys = _keys(node)
        return _rebuild(node, keys, [walk(node[key]) for key in keys])

    return walk(structure)
