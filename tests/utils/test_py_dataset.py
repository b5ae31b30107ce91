"""``keras.utils.PyDataset``: Keras' arguments, hooks and parallel fetching, against Keras 3."""

from __future__ import annotations

import math
import threading
import time

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from tests.layers.harness import keras


def _batches(base: type) -> type:
    class Batches(base):
        """keras.io's example PyDataset, recording which batches were fetched, by which thread, and the hooks."""

        def __init__(self, x, y, batch_size, delay=0.0, **kwargs):
            super().__init__(**kwargs)
            self.x, self.y, self.batch_size, self.delay = x, y, batch_size, delay
            self.events: list[str] = []
            self.threads: set[str] = set()

        def __len__(self):
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, idx):
            time.sleep(self.delay)
            self.threads.add(threading.current_thread().name)
            low = idx * self.batch_size
            return self.x[low : low + self.batch_size], self.y[low : low + self.batch_size]

        def on_epoch_begin(self):
            self.events.append("begin")

        def on_epoch_end(self):
            self.events.append("end")

    return Batches


def _data(count: int = 40) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((count, 3), dtype=np.float32), rng.random((count, 1), dtype=np.float32)


@pytest.mark.parametrize("kwargs", [{}, {"workers": 3, "use_multiprocessing": True, "max_queue_size": 4}])
def test_arguments_and_length_match_keras(kwargs):
    x, y = _data()
    ours, theirs = _batches(fitorch.utils.PyDataset)(x, y, 8, **kwargs), _batches(keras().utils.PyDataset)(x, y, 8, **kwargs)
    for name in ("workers", "use_multiprocessing", "max_queue_size", "num_batches"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert fitorch.utils.Sequence is fitorch.utils.PyDataset


def test_epoch_hooks_run_around_every_epoch():
    # (Keras 3.15 calls one more begin/end pair than it runs epochs: an extra pass of its data adapter.)
    dataset = _batches(fitorch.utils.PyDataset)(*_data(), 8)
    model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(dataset, epochs=2, verbose=0)
    assert dataset.events == ["begin", "end", "begin", "end"]


def test_workers_fetch_ahead_in_threads_and_batches_keep_their_order():
    x, y = _data(48)
    results = []
    for workers in (1, 3):
        torch.manual_seed(0)
        dataset = _batches(fitorch.utils.PyDataset)(x, y, 8, delay=0.02, workers=workers, max_queue_size=3)
        model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(1)])
        model.compile("sgd", "mse")
        history = model.fit(dataset, epochs=2, verbose=0, shuffle=False)
        results.append((history.history["loss"], model.get_weights(), dataset.threads))
    (losses, weights, threads), (parallel_losses, parallel_weights, parallel_threads) = results
    assert losses == parallel_losses  # the same batches in the same order: the same training
    for a, b in zip(weights, parallel_weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert threads == {threading.main_thread().name} and len(parallel_threads) > 1
    assert all(name.startswith("fitorch-pydataset") for name in parallel_threads)


def test_leaving_early_stops_fetching():
    x, y = _data(400)
    dataset = _batches(fitorch.utils.PyDataset)(x, y, 4, workers=2, max_queue_size=2)
    model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(dataset, epochs=1, steps_per_epoch=3, verbose=0)
    time.sleep(0.05)
    assert not any(t.name.startswith("fitorch-pydataset") for t in threading.enumerate())


@pytest.mark.parametrize(("kwargs", "message"), [({"workers": -1}, "workers must be an int >= 0"),
                                                 ({"max_queue_size": 0}, "max_queue_size must be an int >= 1")])  # fmt: skip
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        fitorch.utils.PyDataset(**kwargs)
