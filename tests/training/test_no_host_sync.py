"""The hot loop does no host syncs: device reads grow with epochs and redraws, not with steps.

Every way a value leaves the device is counted by patching ``Tensor.item``, ``.cpu``,
``.numpy``, ``.tolist``, ``__bool__``, ``__float__`` and ``__int__``. SGD is used because torch's own
non-fused Adam reads its CPU step counter with ``.item()`` (a CPU scalar, not a
device sync, but it would be counted).
"""

import io

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers

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


def _fit(samples, epochs, verbose, counts, monkeypatch):
    stream = io.StringIO()
    stream.isatty = lambda: False
    monkeypatch.setattr("sys.stdout", stream)
    x = np.random.rand(samples, 8).astype("float32")
    y = np.random.randint(0, 3, samples)
    inputs = layers.Input(shape=(8,))
    model = fitorch.Model(inputs, layers.Dense(3, activation="softmax")(layers.Dense(16, activation="relu")(inputs)))
    model.compile(optimizer=fitorch.optimizers.SGD(momentum=0.9), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)  # warm-up: builds metrics, optimizer state
    before = counts["n"]
    history = model.fit(x, y, batch_size=8, epochs=epochs, verbose=verbose)
    assert len(history.history["loss"]) == epochs
    return counts["n"] - before


@pytest.mark.parametrize("verbose", [0, 1, 2])
def test_reads_do_not_grow_with_steps(read_counter, monkeypatch, verbose):
    few_steps = _fit(samples=80, epochs=2, verbose=verbose, counts=read_counter, monkeypatch=monkeypatch)
    many_steps = _fit(samples=320, epochs=2, verbose=verbose, counts=read_counter, monkeypatch=monkeypatch)
    assert few_steps == many_steps  # 10 vs 40 steps per epoch: the same number of device reads
    more_epochs = _fit(samples=80, epochs=4, verbose=verbose, counts=read_counter, monkeypatch=monkeypatch)
    assert more_epochs > few_steps  # ... which grows with epochs
    assert few_steps <= 2 * 4  # a handful per epoch


def test_a_terminal_bar_reads_only_when_it_redraws(read_counter, monkeypatch):
    from fitorch.utils import progbar

    stream = io.StringIO()
    stream.isatty = lambda: True
    monkeypatch.setattr("sys.stdout", stream)
    clock = {"t": 0.0}
    monkeypatch.setattr(progbar.time, "perf_counter", lambda: clock["t"])
    x, y = np.random.rand(400, 8).astype("float32"), np.random.rand(400, 1).astype("float32")
    model = fitorch.Sequential([layers.Input(shape=(8,)), layers.Dense(1)])
    model.compile(fitorch.optimizers.SGD(), "mse")
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    before = read_counter["n"]
    model.fit(x, y, batch_size=8, epochs=1, verbose=1)  # the clock never advances: no redraws mid-epoch
    # Per fit: one read seeds the shuffle generator (a CPU scalar), one reads the epoch's logs,
    # one draws the final line: a constant, whatever the number of steps.
    assert read_counter["n"] - before <= 3


def test_batch_callbacks_get_lazy_logs_that_read_on_access(read_counter):
    seen = []

    class Reader(fitorch.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(logs)

    x, y = np.random.rand(64, 8).astype("float32"), np.random.rand(64, 1).astype("float32")
    model = fitorch.Sequential([layers.Input(shape=(8,)), layers.Dense(1)])
    model.compile(fitorch.optimizers.SGD(), "mse")
    before = read_counter["n"]
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[Reader()])
    quiet = read_counter["n"] - before
    assert len(seen) == 8 and quiet <= 3
    assert isinstance(seen[-1]["loss"], float)  # reading a value is what costs a device read
    assert read_counter["n"] - before > quiet
