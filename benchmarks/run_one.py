"""Runs one (runner, workload) pair in this process and prints a JSON line.

    python benchmarks/run_one.py RUNNER WORKLOAD [--epochs N]

Runners: fitorch, torch_slicing, torch_dataloader, keras, lightning. One warm-up epoch,
then N timed epochs; prints the epoch times and this process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from workloads import WORKLOADS, fitorch_model, keras_model, torch_model  # noqa: E402


def _nchw(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2)) if x.ndim == 4 else x


def run_fitorch(name: str, epochs: int) -> list[float]:
    import fitorch

    w = WORKLOADS[name]
    x, y = w.data()
    model = fitorch_model(name)
    model.compile(optimizer="adam", loss=fitorch.losses.SparseCategoricalCrossentropy(from_logits=True))
    times = []

    class Timer(fitorch.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    model.fit(x, y, batch_size=w.batch_size, epochs=epochs + 1, verbose=0, callbacks=[Timer()])
    return times[1:]


def _hand_loop(name: str, epochs: int, loader: bool) -> list[float]:
    w = WORKLOADS[name]
    x, y = w.data()
    x, y = torch.from_numpy(_nchw(x)), torch.from_numpy(y)
    model = torch_model(name)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = torch.nn.CrossEntropyLoss()
    if loader:
        batches = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=w.batch_size,
                                              shuffle=True)
    times = []
    for _ in range(epochs + 1):
        start = time.perf_counter()
        model.train()
        if loader:
            iterator = batches
        else:
            order = torch.randperm(len(x))
            iterator = ((x[idx], y[idx]) for idx in order.split(w.batch_size))
        for inputs, labels in iterator:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            optimizer.step()
        times.append(time.perf_counter() - start)
    return times[1:]


def run_keras(name: str, epochs: int) -> list[float]:
    os.environ["KERAS_BACKEND"] = "torch"
    import keras

    w = WORKLOADS[name]
    x, y = w.data()
    model = keras_model(name)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    times = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    model.fit(x, y, batch_size=w.batch_size, epochs=epochs + 1, verbose=0, callbacks=[Timer()])
    return times[1:]


def run_lightning(name: str, epochs: int) -> list[float]:
    import lightning as L

    w = WORKLOADS[name]
    x, y = w.data()
    x, y = torch.from_numpy(_nchw(x)), torch.from_numpy(y)

    class Module(L.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = torch_model(name)

        def training_step(self, batch, batch_idx):
            inputs, labels = batch
            return torch.nn.functional.cross_entropy(self.net(inputs), labels)

        def configure_optimizers(self):
            return torch.optim.Adam(self.parameters(), lr=1e-3)

    times = []

    class Timer(L.Callback):
        def on_train_epoch_start(self, trainer, module):
            self.start = time.perf_counter()

        def on_train_epoch_end(self, trainer, module):
            times.append(time.perf_counter() - self.start)

    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=w.batch_size, shuffle=True)
    trainer = L.Trainer(max_epochs=epochs + 1, accelerator="cpu", logger=False, enable_checkpointing=False,
                        enable_progress_bar=False, enable_model_summary=False, callbacks=[Timer()])
    trainer.fit(Module(), loader)
    return times[1:]


RUNNERS = {
    "fitorch": run_fitorch,
    "torch_slicing": lambda name, epochs: _hand_loop(name, epochs, loader=False),
    "torch_dataloader": lambda name, epochs: _hand_loop(name, epochs, loader=True),
    "keras": run_keras,
    "lightning": run_lightning,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("runner", choices=sorted(RUNNERS))
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    torch.manual_seed(0)
    times = RUNNERS[args.runner](args.workload, args.epochs)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"runner": args.runner, "workload": args.workload, "epoch_times": times,
                      "peak_rss_mb": peak_kib / 1024}))


if __name__ == "__main__":
    main()
