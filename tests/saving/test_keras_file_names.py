"""Saving under a Keras file name writes a real Keras file or refuses: never fitorch's zip under a Keras name.

``model.save('m.keras' | 'm.h5')``, ``save_weights('w.weights.h5')`` and
``ModelCheckpoint`` with those names go to the Keras writer; Keras 3 itself (in a new
process, torch backend) loads what they wrote and predicts what fitorch predicts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import h5py
import numpy as np
import pytest
import torch

import fitorch
from fitorch import callbacks, layers

KERAS_READER = """
import os, sys, json
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np, keras
folder = sys.argv[1]
x = np.load(os.path.join(folder, "x.npy"))
results = {}
for name in ("model.keras", "model.h5", "epoch_2.keras"):
    results[name] = keras.saving.load_model(os.path.join(folder, name), compile=False).predict(x, verbose=0).tolist()
inputs = keras.Input(shape=(6,))
hidden = keras.layers.Dense(8, activation="relu", name="hidden")(inputs)
twin = keras.Model(inputs, keras.layers.Dense(3, name="out")(hidden))
twin.load_weights(os.path.join(folder, "model.weights.h5"))
results["model.weights.h5"] = twin.predict(x, verbose=0).tolist()
print(json.dumps(results))
"""


def _model() -> fitorch.Model:
    inputs = layers.Input(shape=(6,))
    hidden = layers.Dense(8, activation="relu", name="hidden")(inputs)
    return fitorch.Model(inputs, layers.Dense(3, name="out")(hidden))


def test_keras_names_write_files_keras_loads(tmp_path):
    x = np.random.default_rng(0).random((5, 6), dtype=np.float32)
    y = np.random.default_rng(1).random((5, 3), dtype=np.float32)
    model = _model()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=2, verbose=0, callbacks=[callbacks.ModelCheckpoint(str(tmp_path / "epoch_{epoch}.keras"))])
    model.save(tmp_path / "model.keras")
    model.save(tmp_path / "model.h5")
    model.save_weights(tmp_path / "model.weights.h5")
    np.save(tmp_path / "x.npy", x)
    with zipfile.ZipFile(tmp_path / "model.keras") as archive:
        assert "model.weights.h5" in archive.namelist() and "model.safetensors" not in archive.namelist()
        assert json.loads(archive.read("config.json"))["class_name"] == "Functional"
    assert h5py.is_hdf5(tmp_path / "model.h5") and h5py.is_hdf5(tmp_path / "model.weights.h5")
    env = {**os.environ, "KERAS_BACKEND": "torch", "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run([sys.executable, "-c", KERAS_READER, str(tmp_path)], capture_output=True, text=True,
                          env=env, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    expected = model.predict(x, verbose=0)
    for name, predictions in json.loads(done.stdout.strip().splitlines()[-1]).items():
        np.testing.assert_allclose(np.array(predictions), expected, rtol=1e-5, atol=1e-6, err_msg=name)
    np.testing.assert_allclose(fitorch.load_model(tmp_path / "model.keras").predict(x, verbose=0), expected, rtol=1e-6)


class Subclassed(fitorch.Model):
    def __init__(self):
        super().__init__()
        self.dense = torch.nn.Linear(6, 3)

    def forward(self, x):
        return self.dense(x)


@pytest.mark.parametrize("name", ["m.keras", "m.h5", "m.hdf5"])
@pytest.mark.parametrize("make", [Subclassed, lambda: fitorch.wrap(torch.nn.Sequential(torch.nn.Linear(6, 3)))])
def test_a_model_keras_cannot_build_is_refused_under_a_keras_name(tmp_path, name, make):
    model = make()
    model(torch.zeros(1, 6))
    with pytest.raises(ValueError, match=r"\.fitorch"):
        model.save(tmp_path / name)
    with pytest.raises(ValueError, match=r"\.fitorch"):
        model.save_weights(tmp_path / "w.weights.h5")
    assert list(tmp_path.iterdir()) == []
    model.save(tmp_path / "m.fitorch")  # the suggested name works
    twin = make()
    twin(torch.zeros(1, 6))
    twin.load_weights(tmp_path / "m.fitorch")
    x = torch.rand(2, 6)
    torch.testing.assert_close(twin(x), model(x))


def test_model_checkpoint_refuses_a_keras_name_before_training(tmp_path):
    model = fitorch.wrap(torch.nn.Linear(6, 3))
    model.compile(optimizer="sgd", loss="mse")
    seen = []
    watcher = callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: seen.append(epoch))
    checkpoint = callbacks.ModelCheckpoint(str(tmp_path / "ck.keras"))
    with pytest.raises(ValueError, match=r"ModelCheckpoint\('.*ck.keras'\).*\.fitorch"):
        model.fit(np.zeros((4, 6), "float32"), np.zeros((4, 3), "float32"), epochs=2, verbose=0,
                  callbacks=[checkpoint, watcher])  # fmt: skip
    assert seen == [] and list(tmp_path.iterdir()) == []
