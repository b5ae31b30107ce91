"""docs/keras_compatibility.md's tables of Keras modules (keras.random, keras.utils, ...) stay true both
ways: each lists every public name of the installed Keras 3 module, and says 'supported' exactly when fitorch has it."""

import pathlib
import re

import keras
import pytest

import fitorch

TABLE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "keras_compatibility.md"


def section_rows(module):
    text = TABLE.read_text()
    match = re.search(rf"^## `keras\.{module}`\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"docs/keras_compatibility.md has no `keras.{module}` section"
    rows = re.findall(rf"^\| `keras\.{module}\.(\w+)` \| ([^|]+?) \|", match.group(1), flags=re.M)
    count = re.search(r"^(\d+) of (\d+) supported\.$", match.group(1), flags=re.M)
    return dict(rows), count


@pytest.mark.parametrize("module", ["random", "utils", "models", "saving", "config", "backend", "activations", "losses", "metrics", "optimizers", "tree"])
def test_table_lists_every_keras_name_and_marks_support_truthfully(module):
    rows, count = section_rows(module)
    public = {name for name in dir(getattr(keras, module)) if not name.startswith("_")}
    assert set(rows) == public
    ours = getattr(fitorch, module)
    for name, status in rows.items():
        assert status in ("supported", "not yet"), (name, status)
        assert hasattr(ours, name) == (status == "supported"), f"keras.{module}.{name}: table says {status!r}"
    supported = sum(status == "supported" for status in rows.values())
    assert count and (int(count.group(1)), int(count.group(2))) == (supported, len(rows))
