"""model_to_dot: the ImportError without pydot (always run), and, where pydot is installed,
the graph compared with Keras 3's own model_to_dot of the same architecture (the oracle):
the same layers as nodes and the same connections as edges, and the same graph settings."""

import re
import sys

import keras
import pytest

import fitorch
from fitorch import layers, utils


def hide_pydot(monkeypatch):
    for name in ("pydot", "pydot_ng", "pydotplus"):
        monkeypatch.setitem(sys.modules, name, None)  # `import pydot` now raises ImportError


def fitorch_model():
    text, meta = layers.Input(shape=(8,), name="text"), layers.Input(shape=(8,), name="meta")
    shared = layers.Dense(8, activation="relu", name="shared")
    joined = layers.Concatenate(name="joined")([shared(text), shared(meta)])
    hidden = layers.Dense(16, name="hidden")(joined)
    skip = layers.Add(name="skip")([layers.Dense(16, name="up")(joined), hidden])
    return fitorch.Model([text, meta], [layers.Dense(1, name="score")(skip), layers.Dense(3, name="kind")(joined)])


def keras_model():
    text, meta = keras.Input(shape=(8,), name="text"), keras.Input(shape=(8,), name="meta")
    shared = keras.layers.Dense(8, activation="relu", name="shared")
    joined = keras.layers.Concatenate(name="joined")([shared(text), shared(meta)])
    hidden = keras.layers.Dense(16, name="hidden")(joined)
    skip = keras.layers.Add(name="skip")([keras.layers.Dense(16, name="up")(joined), hidden])
    return keras.Model(
        [text, meta], [keras.layers.Dense(1, name="score")(skip), keras.layers.Dense(3, name="kind")(joined)]
    )


def structure(dot):
    """The layer names of the nodes and the (source, target) names of the edges."""
    names = {}
    for node in dot.get_nodes():
        title = re.search(r'color="white">(?:<b>)?([^<( ]+)', node.get("label") or "")
        if title:
            names[node.get_name().strip('"')] = title.group(1)
    edges = {(names[e.get_source().strip('"')], names[e.get_destination().strip('"')]) for e in dot.get_edges()}
    return sorted(names.values()), edges


def test_without_pydot_is_an_import_error(monkeypatch):
    hide_pydot(monkeypatch)
    with pytest.raises(ImportError, match=re.escape("You must install pydot (`pip install pydot`) for model_to_dot")):
        utils.model_to_dot(fitorch_model())


def test_unbuilt_model_is_a_value_error(monkeypatch):
    hide_pydot(monkeypatch)  # checked before pydot is needed, as Keras
    with pytest.raises(ValueError, match="has not yet been built"):
        utils.model_to_dot(fitorch.Sequential([layers.Dense(2)]))


def test_graph_matches_keras():
    pytest.importorskip("pydot")
    ours = utils.model_to_dot(fitorch_model(), show_shapes=True, rankdir="LR", dpi=96, splines="line")
    theirs = keras.utils.model_to_dot(keras_model(), show_shapes=True, rankdir="LR", dpi=96, splines="line")
    assert structure(ours) == structure(theirs)
    for key in ("rankdir", "dpi", "splines", "concentrate"):
        assert str(ours.get(key)) == str(theirs.get(key))
    assert "Output shape: (None, 16)" in ours.to_string()


def test_sequential_subgraph_and_arguments():
    pydot = pytest.importorskip("pydot")
    model = fitorch.Sequential([layers.Input(shape=(4,)), layers.Dense(3, name="a"), layers.Dense(2, name="b")])
    k_model = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(3, name="a"), keras.layers.Dense(2, name="b")]
    )
    assert structure(utils.model_to_dot(model)) == structure(keras.utils.model_to_dot(k_model))
    cluster = utils.model_to_dot(model, subgraph=True)
    assert isinstance(cluster, pydot.Cluster) and cluster.get("label") == model.name
    with pytest.raises(ValueError, match="layer_range` is no longer supported"):
        utils.model_to_dot(model, layer_range=["a", "b"])
    with pytest.raises(ValueError, match="unrecognized keyword arguments"):
        utils.model_to_dot(model, colour="red")
