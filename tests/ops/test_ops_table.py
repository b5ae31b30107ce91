"""The ops table in docs/keras_compatibility.md lists every keras.ops name and matches the code both ways."""

from __future__ import annotations

import inspect
import pathlib
import re

import keras

from fitorch import ops
from fitorch.ops.registry import OPS

DOC = pathlib.Path(__file__).parents[2] / "docs" / "keras_compatibility.md"


def keras_names() -> set[str]:
    """Every op name Keras exposes: keras.ops.* plus keras.ops.image.* (nn/numpy/linalg repeat top-level names)."""
    names = {n for n in dir(keras.ops) if not n.startswith("_") and not inspect.ismodule(getattr(keras.ops, n))}
    for sub in ("nn", "numpy", "linalg"):
        names |= {n for n in dir(getattr(keras.ops, sub)) if not n.startswith("_")}
    return names | {f"image.{n}" for n in dir(keras.ops.image) if not n.startswith("_")}


def doc_table() -> dict[str, str]:
    section = DOC.read_text().split("\n## ops\n", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([\w.]+)` \| (supported|not yet) \|", section, flags=re.MULTILINE))


def test_the_table_lists_every_keras_name_once() -> None:
    section = DOC.read_text().split("\n## ops\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([\w.]+)` \|", section, flags=re.MULTILINE)
    assert len(rows) == len(set(rows))
    assert set(rows) == keras_names()


def test_supported_names_are_exactly_the_registered_ops() -> None:
    table = doc_table()
    supported = {name for name, status in table.items() if status == "supported"}
    assert supported == set(OPS)


def test_every_supported_name_is_reachable_as_keras_spells_it() -> None:
    for name, status in doc_table().items():
        namespace, _, short = name.rpartition(".")
        module = ops.image if namespace == "image" else ops
        assert hasattr(module, short) == (status == "supported"), name
        if status == "supported":
            assert getattr(module, short) is OPS[name]
