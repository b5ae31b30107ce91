"""docs/keras_compatibility.md stays true: it lists every Keras 3 layer, and says 'supported' exactly
for the layers fitorch.layers has."""

import inspect
import pathlib
import re

import fitorch.layers
from tests.layers.harness import keras

TABLE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "keras_compatibility.md"


def _layer_section():
    """The layers table: the text before the first section on another namespace (ops, random, utils, models)."""
    text = TABLE.read_text()
    return re.split(r"^## (?:`keras\.(?:random|utils|models)`|ops)", text, flags=re.M)[0]


def rows():
    found = {}
    for name, status in re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", _layer_section(), flags=re.M):
        found[name] = status
    return found


def test_table_lists_every_public_keras_layer():
    k = keras()
    public = {n for n in dir(k.layers) if inspect.isclass(getattr(k.layers, n))
              and issubclass(getattr(k.layers, n), k.layers.Layer)}
    assert set(rows()) == public


def test_supported_means_present_and_vice_versa():
    for name, status in rows().items():
        present = hasattr(fitorch.layers, name)
        assert status in ("supported", "not yet", "won't support"), (name, status)
        assert present == (status == "supported"), f"{name}: table says {status!r}, fitorch has it: {present}"
