"""Malformed and hostile Keras HDF5 files: one documented error, nothing changed, nothing slow.

Each file starts as a valid one written by Keras 3 (``save_weights`` for ``.weights.h5``,
``save`` for a legacy ``.h5`` model) and is then edited with h5py. Loading it must

* raise ``fitorch.saving.UnsafeModelError`` (never ``AttributeError``, ``OSError``,
  ``RecursionError``, ``TypeError`` ...), with a message that says what is wrong;
* leave the model's weights exactly as they were (``torch.equal``);
* be refused cheaply, without allocating what the file merely declares.
"""

from __future__ import annotations

import time

import h5py
import keras
import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.saving import UnsafeModelError, load_model


def fitorch_model() -> fitorch.Model:
    return fitorch.Sequential(
        [layers.Input(shape=(6,)), layers.Dense(5, name="dense"), layers.Dense(2, name="dense_1")]
    )


def keras_files(tmp_path):
    """A Keras ``.weights.h5`` and a legacy ``.h5`` of the same two-layer model."""
    keras.utils.set_random_seed(1)
    source = keras.Sequential([keras.Input((6,)), keras.layers.Dense(5, name="dense"),
                               keras.layers.Dense(2, name="dense_1")], name="seq")  # fmt: skip
    source.save_weights(str(tmp_path / "model.weights.h5"))
    source.save(str(tmp_path / "model.h5"))
    return source, tmp_path / "model.weights.h5", tmp_path / "model.h5"


def snapshot(model):
    return {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}


def assert_unchanged(model, before):
    after = model.state_dict()
    assert before.keys() == after.keys()
    for name, tensor in before.items():
        assert torch.equal(tensor, after[name]), f"{name} changed by a failed load"


def assert_refused(path, match, loader="weights"):
    model = fitorch_model()
    before = snapshot(model)
    start = time.perf_counter()
    with pytest.raises(UnsafeModelError, match=match):
        if loader == "weights":
            model.load_weights(path)
        else:
            load_model(path)
    assert time.perf_counter() - start < 5, "refusing a malformed file must be cheap"
    assert_unchanged(model, before)


# ---------------------------------------------------------------------- all or nothing
def test_the_files_load_when_valid(tmp_path):
    source, weights, legacy = keras_files(tmp_path)
    x = np.random.rand(3, 6).astype("float32")
    for path in (weights, legacy):
        model = fitorch_model()
        model.load_weights(path)
        np.testing.assert_allclose(model.predict(x, verbose=0), source.predict(x, verbose=0), atol=1e-6)
    np.testing.assert_allclose(load_model(legacy).predict(x, verbose=0), source.predict(x, verbose=0), atol=1e-6)


@pytest.mark.parametrize("kind", ["weights", "legacy"])
def test_a_misfit_in_the_second_layer_leaves_the_first_untouched(tmp_path, kind):
    _, weights, legacy = keras_files(tmp_path)
    path = weights if kind == "weights" else legacy
    with h5py.File(path, "a") as handle:
        kernel = "layers/dense_1/vars/0" if kind == "weights" else "model_weights/dense_1/seq/dense_1/kernel"
        del handle[kernel]
        handle[kernel] = np.ones((5, 3), "float32")
    model = fitorch_model()
    before = snapshot(model)
    with pytest.raises(ValueError, match=r"do not fit the model:\n  layer 'dense_1': weight 0 expected shape \(5, 2\)"):
        model.load_weights(path)
    assert_unchanged(model, before)
    with pytest.warns(UserWarning, match="skip_mismatch=True"):
        model.load_weights(path, skip_mismatch=True)
    assert not torch.equal(model.state_dict()["dense.weight"], before["dense.weight"])  # the layer that fits loaded
    assert torch.equal(model.state_dict()["dense_1.weight"], before["dense_1.weight"])


@pytest.mark.parametrize("kind", ["weights", "legacy"])
def test_a_malformed_second_layer_leaves_the_first_untouched(tmp_path, kind):
    _, weights, legacy = keras_files(tmp_path)
    path = weights if kind == "weights" else legacy
    with h5py.File(path, "a") as handle:
        kernel = "layers/dense_1/vars/0" if kind == "weights" else "model_weights/dense_1/seq/dense_1/kernel"
        del handle[kernel]
        handle.create_group(kernel)
    assert_refused(path, "is a group where a dataset was expected")


# ---------------------------------------------------------------------- malformed .weights.h5
def _replace(handle, path, value):
    del handle[path]
    handle[path] = value


WEIGHTS_CASES = {
    "layers_is_a_dataset": (lambda h, o: _replace(h, "layers", np.zeros(3)), "holds no layers|dataset where a group"),
    "layer_is_a_dataset": (lambda h, o: _replace(h, "layers/dense_1", np.zeros(3)), "dataset where a group"),
    "vars_is_a_dataset": (lambda h, o: _replace(h, "layers/dense/vars", np.zeros(3)), "dataset where a group"),
    "variable_is_a_group": (
        lambda h, o: (h.__delitem__("layers/dense/vars/1"), h.create_group("layers/dense/vars/1")),
        "group where a dataset",
    ),  # fmt: skip
    "soft_link_loop": (
        lambda h, o: _replace(h, "layers/dense_1/vars/0", h5py.SoftLink("/layers/dense_1/vars/0")),
        "SoftLink",
    ),  # fmt: skip
    "soft_link_to_a_group_loop": (
        lambda h, o: h.__setitem__("layers/dense_1/cell", h5py.SoftLink("/layers")),
        "SoftLink",
    ),  # fmt: skip
    "hard_link_cycle": (lambda h, o: h.__setitem__("layers/dense_1/cell", h["layers/dense_1"]), "nest deeper"),
    "external_link": (lambda h, o: _replace(h, "layers/dense_1", h5py.ExternalLink(str(o), "/")), "ExternalLink"),
    "string_dataset": (lambda h, o: _replace(h, "layers/dense/vars/1", np.array([b"abc"] * 5)), "dtype"),
    "variable_names_not_numbers": (
        lambda h, o: h.move("layers/dense/vars/1", "layers/dense/vars/bias"),
        "unexpected variable names",
    ),  # fmt: skip
    "huge_declared_shape": (
        lambda h, o: (
            h.__delitem__("layers/dense/vars/0"),
            h.create_dataset("layers/dense/vars/0", shape=(10**7, 10**7), dtype="float32", chunks=(1, 1)),
        ),
        "resource bomb",
    ),  # fmt: skip
    "no_layers": (lambda h, o: h.__delitem__("layers"), "holds no layers"),
    "empty_layers": (lambda h, o: (h.__delitem__("layers"), h.create_group("layers")), "holds no layers"),
}


@pytest.mark.parametrize("case", list(WEIGHTS_CASES))
def test_malformed_weights_h5(tmp_path, case):
    _, weights, _ = keras_files(tmp_path)
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as handle:
        handle["vars/0"] = np.ones((5, 2), "float32")
    edit, match = WEIGHTS_CASES[case]
    with h5py.File(weights, "a") as handle:
        edit(handle, other)
    assert_refused(weights, match)


# ---------------------------------------------------------------------- malformed legacy .h5
LEGACY_CASES = {
    "model_weights_is_a_dataset": (lambda h: _replace(h, "model_weights", np.zeros(3)), "dataset where a group"),
    "layer_names_missing": (lambda h: h["model_weights"].attrs.__delitem__("layer_names"), "no 'layer_names'"),
    "layer_names_not_a_list": (lambda h: h["model_weights"].attrs.__setitem__("layer_names", 5), "not a list"),
    "layer_names_2d": (
        lambda h: h["model_weights"].attrs.__setitem__("layer_names", np.array([[b"dense"]])),
        "not a list",
    ),  # fmt: skip
    "layer_names_of_numbers": (
        lambda h: h["model_weights"].attrs.__setitem__("layer_names", np.array([1.0, 2.0])),
        "holds 1.0",
    ),  # fmt: skip
    "no_layer_names": (
        lambda h: h["model_weights"].attrs.__setitem__("layer_names", np.array([], "S1")),
        "holds no layers",
    ),  # fmt: skip
    "layer_name_with_separator": (
        lambda h: h["model_weights"].attrs.__setitem__("layer_names", [b"dense/../x"]),
        "CVE-2026-12479",
    ),  # fmt: skip
    "weight_names_missing": (
        lambda h: h["model_weights/dense_1"].attrs.__delitem__("weight_names"),
        "no 'weight_names'",
    ),  # fmt: skip
    "weight_names_not_a_list": (
        lambda h: h["model_weights/dense_1"].attrs.__setitem__("weight_names", 3.5),
        "not a list",
    ),  # fmt: skip
    "weight_name_escapes": (
        lambda h: h["model_weights/dense_1"].attrs.__setitem__("weight_names", [b"../dense/x"]),
        "invalid HDF5 path",
    ),  # fmt: skip
    "weight_is_an_external_link": (
        lambda h: _replace(h, "model_weights/dense_1/seq/dense_1/kernel", h5py.ExternalLink("/etc/hosts", "/")),
        "ExternalLink",
    ),  # fmt: skip
    "huge_declared_shape": (
        lambda h: (
            h.__delitem__("model_weights/dense/seq/dense/bias"),
            h.create_dataset("model_weights/dense/seq/dense/bias", shape=(10**12,), dtype="float64", chunks=(1,)),
        ),
        "resource bomb",
    ),  # fmt: skip
}


@pytest.mark.parametrize("loader", ["weights", "model"])
@pytest.mark.parametrize("case", list(LEGACY_CASES))
def test_malformed_legacy_h5(tmp_path, case, loader):
    _, _, legacy = keras_files(tmp_path)
    edit, match = LEGACY_CASES[case]
    with h5py.File(legacy, "a") as handle:
        edit(handle)
    assert_refused(legacy, match, loader)


@pytest.mark.parametrize("value", [5, np.array([1, 2]), b"\xff\xfe not json"])
def test_legacy_model_config_of_the_wrong_type(tmp_path, value):
    _, _, legacy = keras_files(tmp_path)
    with h5py.File(legacy, "a") as handle:
        handle.attrs["model_config"] = value
    assert_refused(legacy, "model_config|not JSON|could not be", loader="model")


@pytest.mark.parametrize("kind", ["weights", "legacy"])
@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_truncated_files(tmp_path, kind, keep):
    _, weights, legacy = keras_files(tmp_path)
    path = weights if kind == "weights" else legacy
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    assert_refused(path, "not a valid Keras HDF5 file|not a valid HDF5|holds no|could not be")
    if kind == "legacy":
        assert_refused(path, "not a valid Keras HDF5 file|not a valid HDF5|holds no|could not be", loader="model")
