"""Saves or loads in its own Python process, for tests/saving/test_fresh_process.py.

``python fresh_process_worker.py save DIR OPTIMIZER...``: for each optimizer, trains a
small model, saves it (``model.save``, ``ModelCheckpoint`` and ``BackupAndRestore``)
in ``DIR/OPTIMIZER``, then trains one more epoch and writes what a faithful resume
must reproduce to ``DIR/OPTIMIZER/expected.npz``.
``python fresh_process_worker.py load DIR OPTIMIZER``: in a new process, loads each
file, trains the same extra epoch and writes the results to ``DIR/OPTIMIZER/loaded.npz``.
NumPy files are read back with ``allow_pickle=False``.
"""

from __future__ import annotations

import os
import pathlib
import sys

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import torch  # noqa: E402

import fitorch  # noqa: E402
from fitorch import callbacks, layers  # noqa: E402


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((32, 6), dtype=np.float32), rng.integers(0, 3, 32)


def _model(optimizer: str) -> fitorch.Model:
    fitorch.utils.clear_session()  # the same layer names in the saving and the loading process
    torch.manual_seed(0)
    inputs = layers.Input(shape=(6,))
    hidden = layers.Dense(8, activation="relu")(inputs)
    hidden = layers.BatchNormalization()(hidden)
    model = fitorch.Model(inputs, layers.Dense(3, activation="softmax")(hidden))
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _weights(model: fitorch.Model) -> dict[str, np.ndarray]:
    return {name: tensor.detach().cpu().numpy() for name, tensor in model.state_dict().items()}


def _optimizer_tensors(model: fitorch.Model) -> dict[str, np.ndarray]:
    state = model.optimizer.state_dict()["state"]
    return {f"{index}/{key}": value.cpu().numpy() for index, values in state.items()
            for key, value in values.items() if isinstance(value, torch.Tensor)}  # fmt: skip


def _prefixed(prefix: str, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {f"{prefix}:{name}": value for name, value in arrays.items()}


def save(folder: pathlib.Path, optimizer: str) -> None:
    x, y = _data()
    model = _model(optimizer)
    checkpoint = callbacks.ModelCheckpoint(str(folder / "checkpoint.fitorch"))
    backup = callbacks.BackupAndRestore(folder / "backup", delete_checkpoint=False)
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0, callbacks=[checkpoint, backup])
    model.save(folder / "model.fitorch")
    expected = {"predictions": model.predict(x, verbose=0), **_prefixed("optimizer", _optimizer_tensors(model))}
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    expected.update(_prefixed("resumed", _weights(model)))
    np.savez(folder / "expected.npz", **expected)


def load(folder: pathlib.Path, optimizer: str) -> None:
    x, y = _data()
    results: dict[str, np.ndarray] = {}
    for name in ("model", "checkpoint"):
        model = fitorch.load_model(folder / f"{name}.fitorch")
        results[f"{name}:optimizer_class"] = np.array(type(model.optimizer).__name__)
        results[f"{name}:predictions"] = model.predict(x, verbose=0)
        results.update(_prefixed(f"{name}:optimizer", _optimizer_tensors(model)))
        model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
        results.update(_prefixed(f"{name}:resumed", _weights(model)))
    # BackupAndRestore: a new process asked for 3 epochs resumes after the 2 the first one ran.
    model = _model(optimizer)
    backup = callbacks.BackupAndRestore(folder / "backup", delete_checkpoint=False)
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0, callbacks=[backup])
    results["backup:epochs_run"] = np.array(len(history.history["loss"]))
    results.update(_prefixed("backup:resumed", _weights(model)))
    np.savez(folder / "loaded.npz", **results)


def _nested_model() -> fitorch.Model:
    torch.manual_seed(0)
    inner_input = layers.Input(shape=(6,))
    inner = fitorch.Model(inner_input, layers.Dense(4, activation="relu")(inner_input), name="inner")
    inputs = layers.Input(shape=(6,))
    return fitorch.Model(inputs, layers.Dense(3)(inner(inputs)), name="outer")


def save_nested(root: pathlib.Path) -> None:
    """An uncompiled model holding a functional model: rebuilding it traces the inner model on ``meta``."""
    model = _nested_model()
    model.save(root / "nested.fitorch")
    np.savez(root / "nested_expected.npz", predictions=model.predict(_data()[0], verbose=0))


def load_nested(root: pathlib.Path) -> None:
    model = fitorch.load_model(root / "nested.fitorch")
    np.savez(root / "nested_loaded.npz", predictions=model.predict(_data()[0], verbose=0))


if __name__ == "__main__":
    mode, root = sys.argv[1], pathlib.Path(sys.argv[2])
    if mode == "save":
        save_nested(root)
    if mode == "load_nested":
        load_nested(root)
    for optimizer_name in sys.argv[3:]:
        (root / optimizer_name).mkdir(exist_ok=True)
        {"save": save, "load": load}[mode](root / optimizer_name, optimizer_name)
