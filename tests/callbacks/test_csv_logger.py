"""CSVLogger: Keras' file format, append, atomic rewrites, and resuming at the saved position."""

import os

import keras
import numpy as np
import pytest

import fitorch
from fitorch.callbacks import CSVLogger

LOGS = [
    {"loss": 0.5, "accuracy": 0.25, "val_loss": 0.75, "val_accuracy": 0.125},
    {"loss": 0.375, "accuracy": 0.5, "val_loss": 0.625, "val_accuracy": 0.25},
    {"loss": 0.25, "accuracy": 0.75, "val_loss": 0.5, "val_accuracy": 0.5, "learning_rate": 0.1},
]


def _run(callback, logs, start: int = 0) -> None:
    callback.set_model(None)
    callback.on_train_begin({})
    for epoch, values in enumerate(logs, start):
        callback.on_epoch_end(epoch, dict(values))
    callback.on_train_end({})


@pytest.mark.parametrize("separator", [",", ";"])
@pytest.mark.parametrize("logs", [LOGS, [{"loss": 1.0}, {"loss": 0.5}]], ids=["with-validation", "train-only"])
def test_file_matches_keras(tmp_path, separator, logs) -> None:
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    _run(CSVLogger(ours, separator=separator), logs)
    _run(keras.callbacks.CSVLogger(str(theirs), separator=separator), logs)
    assert ours.read_text() == theirs.read_text()


def test_append_matches_keras(tmp_path) -> None:
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    for path, make in ((ours, CSVLogger), (theirs, lambda p, **k: keras.callbacks.CSVLogger(str(p), **k))):
        _run(make(path), LOGS[:1])
        _run(make(path, append=True), LOGS[1:2], start=1)
    assert ours.read_text() == theirs.read_text()
    assert ours.read_text().count("epoch,") == 1


def test_without_append_a_new_run_overwrites(tmp_path) -> None:
    path = tmp_path / "log.csv"
    _run(CSVLogger(path), LOGS)
    logger = CSVLogger(path)
    logger.on_train_begin({})
    assert path.read_text() == ""  # truncated at train begin, as Keras' "w" mode does


def test_resuming_drops_rows_after_the_checkpoint(tmp_path) -> None:
    path = tmp_path / "log.csv"
    logger = CSVLogger(path)
    logger.on_train_begin({})
    logger.on_epoch_end(0, dict(LOGS[0]))
    state = logger.get_state()  # a checkpoint after epoch 0
    logger.on_epoch_end(1, dict(LOGS[1]))  # written, then the process dies
    assert state["lines"] == 2 and len(path.read_text().splitlines()) == 3
    resumed = CSVLogger(path)
    resumed.set_state(state)
    _run(resumed, LOGS[1:], start=1)
    straight = tmp_path / "straight.csv"
    _run(CSVLogger(straight), LOGS)
    assert path.read_text() == straight.read_text()


def test_rewrites_are_atomic(tmp_path, monkeypatch) -> None:
    path = tmp_path / "log.csv"
    logger = CSVLogger(path)
    logger.on_train_begin({})
    logger.on_epoch_end(0, dict(LOGS[0]))
    before = path.read_text()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        logger.on_epoch_end(1, dict(LOGS[1]))
    assert path.read_text() == before  # the previous complete file, never a torn row
    assert [p.name for p in tmp_path.iterdir()] == ["log.csv"]


def test_in_fit(tmp_path) -> None:
    path = tmp_path / "sub" / "log.csv"
    model = fitorch.Sequential([fitorch.layers.Input(shape=(2,)), fitorch.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    history = model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=2, verbose=0, validation_split=0.25,
                        callbacks=[CSVLogger(path)])  # fmt: skip
    lines = path.read_text().splitlines()
    assert lines[0] == "epoch,loss,mae,val_loss,val_mae"
    assert lines[2].split(",") == ["1"] + [repr(history.history[k][1]) for k in ("loss", "mae", "val_loss", "val_mae")]
