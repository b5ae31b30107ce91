"""fitorch.saving.KerasFileEditor against Keras 3: files Keras writes, edited by fitorch, load in Keras and back."""

import re

import h5py
import keras
import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.saving import KerasFileEditor, UnsafeModelError


def keras_mlp():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])


def keras_nested():
    """An LSTM and a nested Sequential: objects whose weights sit below them (Keras' own editor drops both)."""
    inputs = keras.Input((3, 4))
    inner = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2), keras.layers.BatchNormalization()])
    return keras.Model(inputs, keras.layers.Dense(1)(inner(keras.layers.LSTM(5)(inputs))))


def randomized(model):
    rng = np.random.default_rng(1)
    model.set_weights([rng.standard_normal(w.shape).astype(w.dtype) for w in model.get_weights()])
    return model


def h5_arrays(path):
    """Every dataset of an HDF5 file by path, read with h5py (independent of fitorch's reader)."""
    found = {}
    with h5py.File(path, "r") as handle:
        handle.visititems(lambda name, obj: found.update({name: obj[()]}) if isinstance(obj, h5py.Dataset) else None)
    return found


def flatten(tree, path=""):
    """``weights_dict`` as ``{"layers/dense/vars/0": array}``: the paths the arrays have in the file."""
    found = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            found.update(flatten(value, f"{path}{key}/"))
        else:
            found[f"{path}vars/{key}" if path else f"vars/{key}"] = value
    return found


def strip_names(text):
    return re.sub(r" \('[^']*'\)", "", text)


@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
def test_reads_every_array_keras_writes(tmp_path, suffix, capsys):
    model = randomized(keras_nested())
    path = str(tmp_path / f"m{suffix}")
    model.save(path) if suffix == ".keras" else model.save_weights(path)
    editor = KerasFileEditor(path)
    out = capsys.readouterr().out
    assert f"Keras model file '{path}'" in out
    assert ("Saved with Keras 3" in out) == (suffix == ".keras")
    assert (editor.config is not None) == (suffix == ".keras")
    weights_h5 = tmp_path / "reference.weights.h5"
    model.save_weights(str(weights_h5))
    expected = h5_arrays(weights_h5)
    found = flatten(editor.weights_dict)
    assert sorted(found) == sorted(expected)
    for key, array in expected.items():
        np.testing.assert_array_equal(found[key], array)
    cell = editor.weights_dict["layers"]["lstm"]["cell"]
    np.testing.assert_array_equal(cell["1"], model.layers[1].cell.recurrent_kernel.numpy())
    assert editor.object_metadata["/layers/lstm/cell"]["name"] == model.layers[1].cell.name


def test_summary_shows_what_keras_shows(tmp_path, capsys):
    model = randomized(keras_mlp())
    path = str(tmp_path / "m.keras")
    model.save(path)
    theirs = keras.saving.KerasFileEditor(path)
    theirs.summary()
    keras_out = capsys.readouterr().out
    ours = KerasFileEditor(path)
    ours.summary()
    our_out = capsys.readouterr().out
    # Rich wraps Keras' long header lines; the weight tree is line for line the same.
    assert " ".join(our_out.split("Weights structure")[0].split()) == " ".join(
        keras_out.split("Weights structure")[0].split()
    )
    assert strip_names(our_out).split("Weights structure")[1] == keras_out.split("Weights structure")[1]
    assert f"dense ('{model.layers[0].name}')" in our_out
    assert list(ours.weights_dict) == list(theirs.weights_dict)
    for name, weights in theirs.weights_dict["layers"].items():
        assert list(ours.weights_dict["layers"][name]) == list(weights)
        for key, array in weights.items():
            np.testing.assert_array_equal(ours.weights_dict["layers"][name][key], array)


def test_edited_file_loads_in_keras_with_the_expected_weights(tmp_path, capsys):
    model = randomized(keras_nested())
    model.save(str(tmp_path / "m.keras"))
    editor = KerasFileEditor(str(tmp_path / "m.keras"))
    new_kernel = np.full((2, 1), 0.5, "float32")
    editor.add_weights("layers/dense", {"0": new_kernel})  # the outer Dense (the file's "dense"), replaced
    editor.rename_object("layers/sequential/layers/batch_normalization", "renamed")
    editor.rename_object("renamed", "batch_normalization")  # a unique name works without its path
    editor.save(str(tmp_path / "edited.weights.h5"))
    copy = keras_nested()
    copy.load_weights(str(tmp_path / "edited.weights.h5"))
    expected = model.get_weights()
    expected[-2] = new_kernel
    for got, want in zip(copy.get_weights(), expected, strict=True):
        np.testing.assert_array_equal(got, want)
    # The same file loads into the fitorch model translated from the Keras one.
    ours = fitorch.saving.load_model(str(tmp_path / "m.keras"))
    ours.load_weights(str(tmp_path / "edited.weights.h5"))
    for got, want in zip(ours.get_weights(), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    # Keras' own editor reads what fitorch's wrote, and resaving keeps the names.
    again = KerasFileEditor(str(tmp_path / "edited.weights.h5"))
    renamed_layer = model.layers[2].layers[1]
    assert again.object_metadata["/layers/sequential/layers/batch_normalization"]["name"] == renamed_layer.name
    theirs = keras.saving.KerasFileEditor(str(tmp_path / "edited.weights.h5"))
    np.testing.assert_array_equal(theirs.weights_dict["layers"]["dense"]["0"], new_kernel)


def test_fitorch_file_adapted_to_a_new_head_loads_in_keras(tmp_path, capsys):
    inputs = layers.Input(shape=(4,))
    trained = fitorch.Model(inputs, layers.Dense(2)(layers.Dense(3)(inputs)))
    trained.save_weights(str(tmp_path / "old.weights.h5"))
    editor = KerasFileEditor(str(tmp_path / "old.weights.h5"))
    head = {"0": np.ones((3, 5), "float32"), "1": np.arange(5, dtype="float32")}
    editor.delete_object("dense_1")
    editor.add_object("layers/dense_1", head)
    editor.resave_weights(str(tmp_path / "new.weights.h5"))
    new = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(5)])
    new.load_weights(str(tmp_path / "new.weights.h5"))
    np.testing.assert_array_equal(new.layers[0].get_weights()[0], trained.layers[1].get_weights()[0])
    np.testing.assert_array_equal(new.layers[1].get_weights()[1], head["1"])


def test_compare_counts_matches_and_mismatches(tmp_path, capsys):
    model = fitorch.Sequential([layers.Input(shape=(4,)), layers.Dense(3), layers.Dense(2)])
    model.save(str(tmp_path / "m.keras"))
    editor = KerasFileEditor(str(tmp_path / "m.keras"))
    assert editor.compare(model) == {"status": "success", "error_count": 0, "match_count": 4}
    wider = fitorch.Sequential([layers.Input(shape=(4,)), layers.Dense(3), layers.Dense(6), layers.Dense(1)])
    result = editor.compare(wider)
    # dense_1's two shapes differ and dense_2 is missing from the file.
    assert result == {"status": "error", "error_count": 3, "match_count": 2}
    out = capsys.readouterr().out
    assert "Weight shape mismatch for /layers/dense_1/0" in out and "Object /layers/dense_2 present in reference" in out
    editor.delete_weight("layers/dense", "1")
    assert editor.compare(model)["error_count"] == 1
    # Keras' compare agrees on the status for the same file and the same architecture.
    keras_model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(6)])
    assert keras.saving.KerasFileEditor(str(tmp_path / "m.keras")).compare(keras_model)["status"] == "error"
    with pytest.raises(ValueError, match="no Keras weights layout"):
        editor.compare(fitorch.wrap(torch.nn.Linear(2, 1)))


def test_bad_arguments_are_named(tmp_path, capsys):
    model = fitorch.Sequential([layers.Input(shape=(4,)), layers.Dense(3), layers.Dense(2)])
    model.save_weights(str(tmp_path / "m.weights.h5"))
    with pytest.raises(ValueError, match=r"expected a `.keras` `.weights.h5` extension"):
        KerasFileEditor(str(tmp_path / "m.h5"))
    editor = KerasFileEditor(tmp_path / "m.weights.h5")
    with pytest.raises(ValueError, match="occurs more than once"):
        editor.delete_object("0")
    with pytest.raises(ValueError, match="does not appear in the model"):
        editor.delete_object("conv2d")
    with pytest.raises(ValueError, match="Path 'layers/conv2d' not found"):
        editor.rename_object("layers/conv2d", "x")
    with pytest.raises(ValueError, match="should be a leaf name"):
        editor.rename_object("dense", "layers/x")
    with pytest.raises(ValueError, match="already exists"):
        editor.rename_object("dense", "dense_1")
    with pytest.raises(ValueError, match="should be a dict"):
        editor.add_object("layers/new", [np.zeros(2)])
    with pytest.raises(ValueError, match="already exists"):
        editor.add_object("layers/dense", {"0": np.zeros(2)})
    with pytest.raises(ValueError, match="Path 'nothing' not found"):
        editor.add_object("nothing/dense", {"0": np.zeros(2)})
    with pytest.raises(ValueError, match=r"numeric array; received dtype <U1"):
        editor.add_weights("dense", {"0": np.array(["a"])})
    with pytest.raises(ValueError, match=r"Weight 7 not found in object dense. Weights found: \['0', '1'\]"):
        editor.delete_weight("dense", "7")
    with pytest.raises(ValueError, match="a weight, not an object"):
        editor.add_weights("layers/dense/0", {"0": np.zeros(2)})
    with pytest.raises(ValueError, match="ending .weights.h5"):
        editor.save(str(tmp_path / "out.keras"))
    assert not (tmp_path / "out.keras").exists()


def test_crafted_files_are_refused(tmp_path, capsys):
    with h5py.File(tmp_path / "other.h5", "w") as handle:
        handle["secret"] = np.ones(3)
    with h5py.File(tmp_path / "link.weights.h5", "w") as handle:
        handle["layers/dense/vars/0"] = h5py.ExternalLink(str(tmp_path / "other.h5"), "secret")
    with pytest.raises(UnsafeModelError, match="ExternalLink"):
        KerasFileEditor(str(tmp_path / "link.weights.h5"))
    with h5py.File(tmp_path / "text.weights.h5", "w") as handle:
        handle["layers/dense/vars/0"] = np.array([b"not a weight"])
    with pytest.raises(UnsafeModelError, match="numeric arrays"):
        KerasFileEditor(str(tmp_path / "text.weights.h5"))
