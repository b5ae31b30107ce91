"""``fitorch.tree`` against Keras' tree on nested lists, tuples, named tuples, dicts and deques.

The oracle is Keras' reference implementation, ``keras.src.tree.optree_impl`` (what ``keras.tree``
runs on the JAX, TensorFlow and NumPy backends, and what its docstrings describe). Under the torch
backend ``keras.tree`` uses ``torchtree_impl``, which sorts only the outermost dicts it meets and returns
them sorted; where both agree, ``keras.tree`` itself is checked too.
"""

from __future__ import annotations

import collections
import inspect

import pytest
import torch

from fitorch import tree

Pair = collections.namedtuple("Pair", ["b", "a"])


def _keras_tree():
    import keras

    return keras.tree


def _oracle():
    import keras  # noqa: F401 (configures Keras before its tree module is imported)
    from keras.src.tree import optree_impl

    return optree_impl


STRUCTURES = [
    1,
    None,
    [],
    {},
    [1],
    (None,),
    [[1, 2, 3], [4, [5], [[6]]]],
    {"z": 1, "a": [2, (3, Pair(4, 5))], "m": collections.OrderedDict([("y", 6), ("x", 7)]), "n": None},
    {100: "world!", 6: "Hello"},
    (("a", "b"), ("c", "d", "e"), "f"),
    {"key3": {"c": ("alpha", "beta"), "a": "gamma"}, "key1": {"e": "val1", "d": "val2"}},
    [collections.deque([1, 2]), collections.defaultdict(list, {"b": 1, "a": 2})],
    torch.Size([3, 4]),
    collections.OrderedDict([("b", {"y": 1, "x": [2]}), ("a", 3)]),
]


def test_names_and_signatures_equal_keras() -> None:
    keras_tree = _keras_tree()
    public = sorted(n for n in dir(keras_tree) if not n.startswith("_"))
    assert public == sorted(tree.__all__)
    for name in public:
        if name == "MAP_TO_NONE":
            continue
        ours, theirs = inspect.signature(getattr(tree, name)), inspect.signature(getattr(keras_tree, name))
        assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == [
            (p.name, p.kind, p.default) for p in theirs.parameters.values()
        ], name


@pytest.mark.parametrize("structure", STRUCTURES, ids=range(len(STRUCTURES)))
def test_is_nested_flatten_and_pack_match_keras(structure) -> None:
    keras_tree = _oracle()
    assert tree.is_nested(structure) == keras_tree.is_nested(structure)
    flat = tree.flatten(structure)
    assert flat == keras_tree.flatten(structure)
    numbered = list(range(len(flat)))
    packed = tree.pack_sequence_as(structure, numbered)
    expected = keras_tree.pack_sequence_as(structure, numbered)
    assert packed == expected and type(packed) is type(expected)
    assert repr(packed) == repr(expected)  # the same key order and container types


@pytest.mark.parametrize("structure", STRUCTURES, ids=range(len(STRUCTURES)))
def test_map_structure_traverse_and_lists_to_tuples_match_keras(structure) -> None:
    keras_tree = _oracle()

    def fn(*v):
        return (v, "leaf")

    for structures in [(structure,), (structure, structure)]:
        ours: list = []
        theirs: list = []
        mapped = tree.map_structure(lambda *v, calls=ours: calls.append(v) or fn(*v), *structures)
        expected = keras_tree.map_structure(lambda *v, calls=theirs: calls.append(v) or fn(*v), *structures)
        assert repr(mapped) == repr(expected)
        assert ours == theirs  # the same calls in the same order
    assert repr(tree.lists_to_tuples(structure)) == repr(keras_tree.lists_to_tuples(structure))
    for top_down in (True, False):
        ours, theirs = [], []
        assert repr(tree.traverse(ours.append, structure, top_down=top_down)) == repr(
            keras_tree.traverse(theirs.append, structure, top_down=top_down)
        )
        assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("structure", STRUCTURES, ids=range(len(STRUCTURES)))
def test_flatten_with_path_matches_keras(structure) -> None:
    assert tree.flatten_with_path(structure) == _oracle().flatten_with_path(structure)


def test_keras_torch_backend_agrees_where_it_sorts_every_dict() -> None:
    keras_tree = _keras_tree()  # it sorts only the outermost dict on each path: inner ones are given sorted
    structure = {"z": 1, "a": [2, (3, {"p": 0, "q": 4})], "m": collections.OrderedDict([("y", 6), ("x", 7)])}
    assert tree.flatten(structure) == keras_tree.flatten(structure)
    assert tree.flatten_with_path(structure) == keras_tree.flatten_with_path(structure)
    assert tree.map_structure(str, structure) == keras_tree.map_structure(str, structure)


def test_named_tuple_paths_are_field_positions() -> None:
    # Keras' optree implementation (and its docstring) uses the field's position; Keras 3.15's torch
    # backend numbers the fields in sorted name order instead. fitorch follows the documented rule.
    assert tree.flatten_with_path(Pair(1, 2)) == [((0,), 1), ((1,), 2)] == _oracle().flatten_with_path(Pair(1, 2))


def test_map_structure_matches_dicts_by_key_and_skips_none() -> None:
    keras_tree = _oracle()
    a, b = {"a": 1, "b": 2}, {"b": 3, "a": 4}
    assert repr(tree.map_structure(lambda x, y: (x, y), a, b)) == repr(
        keras_tree.map_structure(lambda x, y: (x, y), a, b)
    )
    assert tree.map_structure(lambda x: x + 1, [1, None], none_is_leaf=False) == [2, None]
    assert tree.map_structure(lambda x: x, None, none_is_leaf=False) is None
    assert tree.map_structure(lambda x, y: x + y, 5, 6) == _keras_tree().map_structure(lambda x, y: x + y, 5, 6)
    with pytest.raises(ValueError, match="Some arguments are None, others are not"):
        tree.map_structure(lambda x, y: x, [None], [1], none_is_leaf=False)


@pytest.mark.parametrize(
    ("a", "b"),
    [([1, 2], (1, 2)), ([1, 2], [1]), ({"a": 1}, {"b": 1}), ([1, [2]], [1, 2]), (Pair(1, 2), (1, 2))],
)
def test_mismatched_structures_raise_value_error_as_keras(a, b) -> None:
    for keras_tree in (_oracle(), _keras_tree()):
        with pytest.raises(ValueError):
            keras_tree.map_structure(lambda x, y: x, a, b)
    with pytest.raises(ValueError, match="The two structures don't have the same nested structure"):
        tree.map_structure(lambda x, y: x, a, b)
    with pytest.raises(ValueError, match="The two structures don't have the same nested structure"):
        tree.assert_same_structure(a, b)


def test_assert_same_structure_accepts_matching_structures_and_warns_on_check_types() -> None:
    tree.assert_same_structure([(0, 1)], [(2, 3)])
    tree.assert_same_structure({"a": 1, "b": [2]}, collections.OrderedDict([("b", [0]), ("a", 0)]))
    with pytest.warns(DeprecationWarning, match="check_types"):
        tree.assert_same_structure([1], [2], check_types=True)


def test_assert_same_paths_matches_keras() -> None:
    keras_tree = _oracle()
    tree.assert_same_paths([0, 1], (2, 3))
    keras_tree.assert_same_paths([0, 1], (2, 3))
    with pytest.raises(ValueError) as theirs:
        keras_tree.assert_same_paths([1, 2], {"a": 1})
    with pytest.raises(ValueError) as ours:
        tree.assert_same_paths([1, 2], {"a": 1})
    assert str(ours.value) == str(theirs.value)


def test_map_structure_up_to_matches_keras() -> None:
    keras_tree = _keras_tree()  # optree_impl refuses None as a shallow leaf, unlike Keras' own docstring
    structure = [[1, 1], [2, 2]]
    for shallow in ([None, None], [None, [None, None]]):
        assert tree.map_structure_up_to(shallow, str, structure) == keras_tree.map_structure_up_to(
            shallow, str, structure
        )
    with pytest.raises(ValueError, match="The two structures don't have the same nested structure"):
        tree.map_structure_up_to([None, [None, None]], str, [[1, 1], 2])


def test_map_shape_structure_matches_keras() -> None:
    keras_tree = _oracle()
    shapes = {"b": (1, None), "a": [(2, 3), [4]], "c": [[None, 5], (6,)]}
    assert repr(tree.map_shape_structure(lambda s: s, shapes)) == repr(
        keras_tree.map_shape_structure(lambda s: s, shapes)
    )


def test_traverse_map_to_none_and_replacement() -> None:
    keras_tree = _keras_tree()
    structure = [1, 2, (3, [4])]

    def fn(x):
        return tree.MAP_TO_NONE if x == 2 else ("cut" if isinstance(x, tuple) else None)

    def keras_fn(x):
        return keras_tree.MAP_TO_NONE if x == 2 else ("cut" if isinstance(x, tuple) else None)

    assert tree.traverse(fn, structure) == keras_tree.traverse(keras_fn, structure) == [1, None, "cut"]


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="tree.map_structure: func must be callable; received 3"):
        tree.map_structure(3, [1])
    with pytest.raises(TypeError, match="tree.traverse: func must be callable"):
        tree.traverse(None, [1])
    with pytest.raises(ValueError, match="tree.map_structure: must provide at least one structure"):
        tree.map_structure(str)
    with pytest.raises(ValueError, match="the structure has 2 leaves but flat_sequence has 1 items"):
        tree.pack_sequence_as([0, 0], [1])
    with pytest.raises(TypeError, match="dict keys must be sortable"):
        tree.flatten({1: 1, "a": 2})
