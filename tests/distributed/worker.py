"""A user's ordinary fitorch training script, run by the distributed tests under ``torchrun``.

``python worker.py SCENARIO OUT_DIR`` trains, evaluates and predicts, and writes what the
test compares into ``OUT_DIR/results/`` (one file per rank, written by this script)
while fitorch's own outputs (CSV log, checkpoints, TensorBoard, saved models) go to
``OUT_DIR/files/`` with the rank in their names, so the test can see who wrote what.

Scenarios:
    equivalence: SGD, no shuffle, batch 16 per rank; evaluate and predict on 100 samples.
    resume: shuffle, dropout, Adam, BackupAndRestore every 3 steps; with KILL_AT=<step> rank 1
        SIGKILLs itself at that global step on the first attempt (torchrun restarts the job);
        DISTRIBUTE=fsdp shards the model.
    lost_peer: rank 1 SIGKILLs itself mid-epoch; rank 0 must fail with a clear message.
    fsdp: the equivalence training with compile(distribute='fsdp').
    routing: under DDP, rank 0 alone calls model(x) with gradients on in on_epoch_end (a model with
        buffers, which a DDP forward would broadcast); and a custom train_step that calls self(x).
"""

from __future__ import annotations

import json
import os
import signal
import sys

import numpy as np
import torch

import fitorch
from fitorch import distributed, layers

RANK = distributed.rank()
OUT = sys.argv[2] if __name__ == "__main__" else ""
RESULTS, FILES = os.path.join(OUT, "results"), os.path.join(OUT, "files")


def data(samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.default_rng(seed)
    x = generator.normal(size=(samples, 6)).astype("float32")
    y = (x @ generator.normal(size=(6, 1)) + 0.1).astype("float32")
    return x, y


def build(dropout: float = 0.0, batch_norm: bool = False) -> fitorch.Model:
    """The same model (weights and layer names) in every process."""
    fitorch.utils.clear_session()
    torch.manual_seed(0)
    stack = [layers.Input(shape=(6,)), layers.Dense(8, activation="tanh")]
    if dropout:
        stack.append(layers.Dropout(dropout))
    if batch_norm:  # statistics of the global batch: the same steps as one process
        stack.append(layers.BatchNormalization(momentum=0.5, synchronized=True))
    return fitorch.Sequential([*stack, layers.Dense(1)])


def save_result(name: str, tensors: dict[str, torch.Tensor], info: dict | None = None) -> None:
    from safetensors.torch import save_file

    save_file({k: v.detach().cpu().contiguous() for k, v in tensors.items()},
              os.path.join(RESULTS, f"{name}-rank{RANK}.safetensors"))  # fmt: skip
    if info is not None:
        with open(os.path.join(RESULTS, f"{name}-rank{RANK}.json"), "w") as handle:
            json.dump(info, handle)


class KillAt(fitorch.callbacks.Callback):
    """SIGKILLs rank 1 after ``step`` global steps, only on the job's first attempt."""

    def __init__(self, step: int) -> None:
        super().__init__()
        self.step, self.seen = step, 0

    def on_train_batch_end(self, batch: int, logs: object = None) -> None:
        fit = self.model.fit_state
        seen = fit.epoch * self.params["steps"] + fit.step
        first_attempt = os.environ.get("TORCHELASTIC_RESTART_COUNT", "0") == "0"
        if RANK == 1 and seen == self.step and first_attempt:
            os.kill(os.getpid(), signal.SIGKILL)


class Batches(fitorch.utils.Sequence):
    """A ``Sequence`` of 16-sample batches."""

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        self.x, self.y = x, y

    def __len__(self) -> int:
        return -(-len(self.x) // 16)

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        return self.x[index * 16 : (index + 1) * 16], self.y[index * 16 : (index + 1) * 16]


def generator(x: np.ndarray, y: np.ndarray):  # noqa: ANN201
    for start in range(0, len(x), 16):
        yield x[start : start + 16], y[start : start + 16]


def input_kinds(x: np.ndarray, y: np.ndarray) -> dict[str, object]:
    """The same data as every kind of input ``fit`` takes; batches of 16 where the input batches itself."""
    dataset = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    return {
        "tensors": (torch.from_numpy(x), torch.from_numpy(y)),
        "sequence": Batches(x, y),
        "dataset": dataset,
        "dataloader": torch.utils.data.DataLoader(dataset, batch_size=16),
        "generator": lambda: generator(x, y),
    }


def fit_kind(kind: str, x: np.ndarray, y: np.ndarray, batch_norm: bool = False) -> fitorch.Model:
    """One epoch on ``kind`` with batch 16 (per process), then the model."""
    model = build(batch_norm=batch_norm)
    model.compile(fitorch.optimizers.SGD(0.1), "mse")
    source = input_kinds(x, y)[kind]
    if kind == "tensors":
        model.fit(*source, batch_size=16, shuffle=False, verbose=0)
    else:
        model.fit(source() if kind == "generator" else source, batch_size=16, shuffle=False, verbose=0)
    return model


def evaluate_kind(model: fitorch.Model, kind: str, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    source = input_kinds(x, y)[kind]
    if kind == "tensors":
        return model.evaluate(*source, batch_size=16, return_dict=True, verbose=0)
    return model.evaluate(source() if kind == "generator" else source, batch_size=16, return_dict=True, verbose=0)


def equivalence(distribute: str) -> None:
    x, y = data(64, seed=1)
    model = build()
    model.compile(fitorch.optimizers.SGD(0.1), "mse", metrics=["mae"], distribute=distribute)
    callbacks = [
        fitorch.callbacks.CSVLogger(os.path.join(FILES, f"log-rank{RANK}.csv")),
        fitorch.callbacks.ModelCheckpoint(os.path.join(FILES, f"checkpoint-rank{RANK}.fitorch")),
        fitorch.callbacks.TensorBoard(os.path.join(FILES, f"tensorboard-rank{RANK}")),
    ]
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=2, callbacks=callbacks)
    x_test, y_test = data(100, seed=2)
    evaluated = model.evaluate(x_test, y_test, batch_size=16, return_dict=True, verbose=0)
    predicted = model.predict(x_test, batch_size=16, verbose=0)
    model.save_weights(os.path.join(FILES, f"weights-rank{RANK}.safetensors"))
    if distribute == "fsdp":  # every rank reads the full file back into its shards
        model.load_weights(os.path.join(FILES, "weights-rank0.safetensors"))
        predicted_after_load = model.predict(x_test, batch_size=16, verbose=0)
        evaluated["predict_changed_by_reload"] = float(np.abs(predicted_after_load - predicted).max())
    if distribute != "fsdp":
        model.save(os.path.join(FILES, f"model-rank{RANK}.fitorch"))
    weights = {k: v.full_tensor() if hasattr(v, "full_tensor") else v for k, v in model.state_dict().items()}
    save_result("final", {**weights, "predict": torch.as_tensor(predicted)},
                {"evaluate": evaluated, "history": history.history, "world_size": distributed.world_size()})  # fmt: skip
    if distribute == "fsdp":
        return
    kinds, evaluations = {}, {}
    for kind in input_kinds(x, y):
        trained = fit_kind(kind, x, y)
        kinds.update({f"{kind}/{k}": v for k, v in trained.state_dict().items()})
        evaluations[kind] = evaluate_kind(trained, kind, x_test, y_test)
    synchronized = fit_kind("tensors", x, y, batch_norm=True)
    kinds.update({f"batch_norm/{k}": v for k, v in synchronized.state_dict().items()})
    stopped = build()  # rank 1 alone asks to stop after its second step: both ranks must stop there
    stopped.compile("sgd", "mse")
    stop_on_rank_1 = fitorch.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: setattr(stopped, "stop_training", RANK == 1 and batch == 1)
    )
    stopped.fit(x, y, batch_size=4, epochs=3, verbose=0, callbacks=[stop_on_rank_1])
    stop = [stopped.fit_state.epoch, stopped.fit_state.step]
    save_result("kinds", kinds, {"evaluate": evaluations, "stopped_at": stop})


def resume() -> None:
    x, y = data(96, seed=3)
    model = build(dropout=0.3)
    model.compile(fitorch.optimizers.Adam(0.01), "mse", distribute=os.environ.get("DISTRIBUTE", "auto"))
    resumed = {}
    record = fitorch.callbacks.LambdaCallback(on_train_begin=lambda logs: resumed.update(model.fit_state.resume or {}))
    callbacks = [fitorch.callbacks.BackupAndRestore(os.path.join(OUT, "backup"), save_freq=3), record]
    if "KILL_AT" in os.environ:
        callbacks.append(KillAt(int(os.environ["KILL_AT"])))
    history = model.fit(x, y, batch_size=8, epochs=3, verbose=0, callbacks=callbacks)
    info = {"history": history.history, "restarts": int(os.environ.get("TORCHELASTIC_RESTART_COUNT", "0")),
            "resumed_at": [resumed.get("epoch"), resumed.get("step")]}  # fmt: skip
    weights = {k: v.full_tensor() if hasattr(v, "full_tensor") else v for k, v in model.state_dict().items()}
    save_result("final", weights, info)


class StepNet(fitorch.Model):
    """A PyTorch-style model with its own train_step, which calls self(x) (DDP must still sync it)."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.hidden = torch.nn.Linear(6, 8)
        self.out = torch.nn.Linear(8, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(torch.tanh(self.hidden(x)))

    def train_step(self, batch: tuple) -> dict[str, torch.Tensor]:
        x, y = batch
        self.optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(self(x), y)
        loss.backward()
        self.optimizer.step()
        return {"loss": loss}


def routing() -> None:
    os.environ["FITORCH_DIST_TIMEOUT"] = "20"  # a collective entered by one rank alone fails instead of hanging
    x, y = data(64, seed=1)
    fitorch.utils.clear_session()
    torch.manual_seed(0)
    model = fitorch.Sequential([layers.Input(shape=(6,)), layers.Dense(8, activation="tanh"),
                                layers.BatchNormalization(momentum=0.5), layers.Dense(1)])  # fmt: skip
    model.compile(fitorch.optimizers.SGD(0.1), "mse")
    probes = []

    def probe(epoch: int, logs: object) -> None:
        if RANK == 0:  # rank 0 alone: a collective here would wait for rank 1 forever
            with torch.enable_grad():
                probes.append(bool(model(torch.as_tensor(x[:4]), training=False).requires_grad))

    model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0,
              callbacks=[fitorch.callbacks.LambdaCallback(on_epoch_end=probe)])  # fmt: skip
    custom = StepNet()
    custom.compile(fitorch.optimizers.SGD(0.1), "mse")
    custom.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    tensors = {f"buffers/{k}": v for k, v in model.named_parameters()}
    tensors.update({f"custom/{k}": v for k, v in custom.state_dict().items()})
    save_result("routing", tensors, {"probes": probes, "distributed": model.distributed})


def lost_peer() -> None:
    x, y = data(4000, seed=4)
    model = build()
    model.compile("sgd", "mse")
    model.fit(x, y, batch_size=4, epochs=5, verbose=0, callbacks=[KillAt(20)])


def main(scenario: str) -> None:
    os.makedirs(RESULTS, exist_ok=True)
    os.makedirs(FILES, exist_ok=True)
    sys.stdout = open(os.path.join(RESULTS, f"stdout-rank{RANK}.txt"), "w", buffering=1)  # noqa: SIM115
    scenarios = {"equivalence": lambda: equivalence("auto"), "fsdp": lambda: equivalence("fsdp"),
                 "resume": resume, "lost_peer": lost_peer, "routing": routing}  # fmt: skip
    scenarios[scenario]()


if __name__ == "__main__":
    main(sys.argv[1])
