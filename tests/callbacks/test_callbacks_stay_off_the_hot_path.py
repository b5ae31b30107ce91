"""Epoch-level callbacks, metrics and schedules add no per-step device reads.

Like tests/training/test_no_host_sync.py: every way a value leaves a tensor is
counted; the count must not grow with the number of steps per epoch.
"""

import io

import numpy as np
import pytest
import torch

import fitorch
from fitorch import callbacks, layers, metrics, optimizers

_PATCHED = ["item", "cpu", "numpy", "tolist", "__bool__", "__float__", "__int__"]


@pytest.fixture
def read_counter(monkeypatch):
    counts = {"n": 0}
    for name in _PATCHED:
        original = getattr(torch.Tensor, name)

        def counted(self, *args, _original=original, **kwargs):
            counts["n"] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(torch.Tensor, name, counted)
    return counts


def _reads(samples: int, counts, tmp_path, monkeypatch) -> int:
    monkeypatch.setattr("sys.stdout", io.StringIO())
    rng = np.random.default_rng(0)
    x, y = rng.random((samples, 8)).astype("float32"), rng.integers(0, 2, (samples, 1)).astype("float32")
    inputs = layers.Input(shape=(8,))
    model = fitorch.Model(inputs, layers.Dense(1, activation="sigmoid")(layers.Dense(16, activation="relu")(inputs)))
    optimizer = optimizers.SGD(
        learning_rate=optimizers.schedules.CosineDecay(0.0, 100, warmup_target=0.1, warmup_steps=5),
        momentum=0.9, use_ema=True, gradient_accumulation_steps=2,
    )  # fmt: skip
    model.compile(optimizer, "binary_crossentropy",
                  metrics=["auc", "precision", metrics.F1Score(threshold=0.5), metrics.MeanIoU(2, sparse_y_pred=True),
                           metrics.AUC(multi_label=True, curve="PR"), "rmse", metrics.R2Score()])  # fmt: skip
    every = [
        callbacks.EarlyStopping(monitor="loss", patience=100),
        callbacks.ModelCheckpoint(str(tmp_path / "w.safetensors"), monitor="loss", save_best_only=True,
                                  save_weights_only=True),  # fmt: skip
        callbacks.ReduceLROnPlateau(monitor="auc", patience=100),
        callbacks.CSVLogger(tmp_path / "l.csv"),
        callbacks.TensorBoard(tmp_path / "tb", write_graph=False),
        callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: None),
    ]
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)  # warm-up: builds metrics and optimizer state
    before = counts["n"]
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, callbacks=every)
    return counts["n"] - before


def test_reads_do_not_grow_with_steps(read_counter, tmp_path, monkeypatch) -> None:
    few = _reads(80, read_counter, tmp_path, monkeypatch)
    many = _reads(320, read_counter, tmp_path, monkeypatch)
    assert few == many  # 10 vs 40 steps per epoch
    assert few <= 2 * 60  # per epoch: the logs once, the learning rate, TensorBoard's and the checkpoint's reads
