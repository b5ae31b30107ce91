"""``BackupAndRestore``: a crash costs at most the work since the last checkpoint, and resume is exact.

Each checkpoint holds everything the rest of the run depends on: the model, the
optimizer (with its schedule), every callback's counters, the epoch's metric
accumulators, the epoch and step, the data order (the shuffle generator's state),
and the RNG states of torch (CPU and CUDA), NumPy and Python. A run killed at any
point and restarted with the same script continues where the newest checkpoint
left off; on CPU its final weights equal an uninterrupted run's bit for bit.

Checkpoints are committed atomically: each is written to a temporary directory,
fsynced, marked with a ``COMMITTED`` file, then renamed into place. A reader only
takes committed checkpoints; if the newest is damaged it warns and falls back to
the previous one. Exact mid-epoch resume needs in-memory array data (fitorch owns
its order); generators resume at the right step but replay whatever they yield.

Example:
    >>> import numpy as np, fitorch, tempfile
    >>> model = fitorch.Sequential([fitorch.layers.Input(shape=(3,)), fitorch.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> backup = fitorch.callbacks.BackupAndRestore(tempfile.mkdtemp(), save_freq=2)
    >>> _ = model.fit(np.ones((8, 3)), np.ones((8, 1)), batch_size=2, epochs=2, verbose=0, callbacks=[backup])
"""

from __future__ import annotations

import base64
import contextlib
import os
import random
import shutil
import warnings
from typing import Any

import numpy as np
import torch

from fitorch.callbacks.callback import Callback, Logs
from fitorch.distributed import runtime
from fitorch.distributed.collectives import all_gather_bytes, broadcast_int, reduced_metric_states
from fitorch.saving import safe_json, safetensors_io
from fitorch.saving.atomic import _fsync_directory
from fitorch.saving.compile_state import optimizer_state, restore_optimizer_state

_PREFIX = "checkpoint-"
_MARKER = "COMMITTED"
_STATE, _TENSORS = "state.json", "tensors.safetensors"


class BackupAndRestore(Callback):
    """Backs up the whole training state and restores it when the same ``fit`` runs again.

    Args:
        backup_dir: a directory for this run's checkpoints (created if needed).
        save_freq: ``'epoch'`` to back up at the end of every epoch, or an int N to
            back up every N batches (mid-epoch resume).
        delete_checkpoint: delete the checkpoints when training finishes normally.
        keep: how many committed checkpoints to keep (at least 2, so a damaged newest
            one has a fallback).
    """

    may_stop_mid_epoch = False  # its batch hooks never stop training

    def __init__(
        self, backup_dir: str | os.PathLike[str], save_freq: str | int = "epoch", delete_checkpoint: bool = True,
        keep: int = 2,
    ) -> None:  # fmt: skip
        super().__init__()
        if save_freq != "epoch" and (not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq <= 0):
            raise ValueError(f"BackupAndRestore: save_freq must be 'epoch' or a positive int; received {save_freq!r}.")
        if not isinstance(keep, int) or keep < 2:
            raise ValueError(f"BackupAndRestore: keep must be an int >= 2; received {keep!r}.")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.delete_checkpoint = delete_checkpoint
        self.keep = keep
        self._batches = 0
        self._sequence = 0

    # ------------------------------------------------------------------ hooks
    def on_train_begin(self, logs: Logs = None) -> None:
        if runtime.is_main_process():
            os.makedirs(self.backup_dir, exist_ok=True)
        self._batches = 0
        checkpoints = self._checkpoints()
        if runtime.in_process_group():  # every rank restores the checkpoint rank 0 found newest
            newest = broadcast_int(_sequence_of(checkpoints[0]) if checkpoints else -1)
            checkpoints = [p for p in checkpoints if _sequence_of(p) <= newest]
        for path in checkpoints:
            try:
                self._restore(path)
                return
            except Exception as error:  # a damaged checkpoint: fall back to an older one
                warnings.warn(
                    f"BackupAndRestore: checkpoint {path!r} could not be restored ({error}); falling back to "
                    "the previous one.",
                    UserWarning,
                    stacklevel=2,
                )

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        if self.save_freq != "epoch":
            self._batches += 1
            if self._batches % self.save_freq == 0:
                self._save()

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if self.save_freq == "epoch":
            self._save(next_epoch=True)

    def on_train_end(self, logs: Logs = None) -> None:
        if runtime.in_process_group():
            runtime.barrier()  # no rank may still be reading a checkpoint that is about to go
        if self.delete_checkpoint and runtime.is_main_process() and os.path.isdir(self.backup_dir):
            for path in self._checkpoints(committed_only=False):
                shutil.rmtree(path, ignore_errors=True)

    # ------------------------------------------------------------------ state
    def _collect(self, next_epoch: bool) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
        model = self.model
        fit = model.fit_state
        state: dict[str, Any] = {
            "epoch": fit.epoch + 1 if next_epoch else fit.epoch,
            "step": 0 if next_epoch else fit.step,
            "batches": self._batches,
        }
        tensors = {f"model/{k}": v for k, v in runtime.full_state_dict(model).items()}  # FSDP: gathered on rank 0
        optimizer = optimizer_state(model, model.optimizer)
        if optimizer is not None:
            optimizer_tensors, optimizer_meta = optimizer
            tensors.update({f"optimizer/{k}": v for k, v in optimizer_tensors.items()})
            state["optimizer"] = optimizer_meta
        metrics = model._compile_config.metric_modules() if model._compile_config is not None else {}
        summed = reduced_metric_states(list(metrics.values())) if runtime.in_process_group() else contextlib.nullcontext()
        with summed:  # rank 0 saves the sums over all ranks
            for name, metric in metrics.items():
                tensors.update({f"metrics/{name}/{k}": v.clone() for k, v in metric.state_dict().items()})
        data = fit.data.state()
        if data is not None:
            state["data"] = data
        callbacks = []
        for index, callback in enumerate(fit.callbacks):
            entry = {"class": type(callback).__name__}
            if callback is not self and hasattr(callback, "get_state"):
                entry["state"] = callback.get_state()
            if hasattr(callback, "get_state_tensors"):
                for key, value in (callback.get_state_tensors() or {}).items():
                    tensors[f"callbacks/{index}/{key}"] = value
            callbacks.append(entry)
        state["callbacks"] = callbacks
        rng = _rng_state()
        if runtime.in_process_group():  # each rank draws its own dropout masks: keep every rank's state
            state["rng"] = [safe_json.loads(b, "rng") for b in all_gather_bytes(safe_json.dumps(rng))]
        else:
            state["rng"] = [rng]
        return state, {k: v.detach().cpu().contiguous() for k, v in tensors.items()}

    def _save(self, next_epoch: bool = False) -> None:
        state, tensors = self._collect(next_epoch)  # every rank takes part (collectives)
        if not runtime.is_main_process():
            return
        self._sequence = max([self._sequence, *[_sequence_of(p) for p in self._checkpoints(committed_only=False)]]) + 1
        final = os.path.join(self.backup_dir, f"{_PREFIX}{self._sequence:08d}")
        temp = os.path.join(self.backup_dir, f".tmp-{self._sequence:08d}-{os.getpid()}")
        shutil.rmtree(temp, ignore_errors=True)
        os.makedirs(temp)
        for name, write in ((_TENSORS, lambda h: safetensors_io.write(h, tensors)),
                            (_STATE, lambda h: h.write(safe_json.dumps(state)))):  # fmt: skip
            with open(os.path.join(temp, name), "wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
        with open(os.path.join(temp, _MARKER), "wb") as handle:
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_directory(temp)
        os.replace(temp, final)
        _fsync_directory(self.backup_dir)
        for old in self._checkpoints(committed_only=False)[self.keep :]:
            shutil.rmtree(old, ignore_errors=True)

    def _restore(self, path: str) -> None:
        with open(os.path.join(path, _STATE), "rb") as handle:
            state = safe_json.loads(handle.read(), _STATE)
        with open(os.path.join(path, _TENSORS), "rb") as handle:
            data = bytearray(handle.read())
        tensors, _ = safetensors_io.read(data, _TENSORS)
        tensors = {k: v.clone() for k, v in tensors.items()}
        model, fit = self.model, self.model.fit_state
        rank, ranks = (runtime.rank(), runtime.world_size()) if runtime.in_process_group() else (0, 1)
        runtime.load_full_state_dict(model, {k[len("model/"):]: v for k, v in tensors.items() if k.startswith("model/")})
        if "optimizer" in state:
            optimizer_tensors = {k[len("optimizer/"):]: v for k, v in tensors.items() if k.startswith("optimizer/")}
            restore_optimizer_state(model, model.optimizer, optimizer_tensors, state["optimizer"])
        config = model._compile_config
        for name, metric in (config.metric_modules() if config is not None else {}).items():
            prefix = f"metrics/{name}/"
            if rank == 0:
                metric.load_state_dict({k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)})
            else:  # the saved states already hold every rank's sums; the others start again
                metric.reset_state()
        for index, (entry, callback) in enumerate(zip(state["callbacks"], fit.callbacks, strict=False)):
            if entry.get("class") != type(callback).__name__:
                continue
            if "state" in entry and hasattr(callback, "set_state"):
                callback.set_state(entry["state"])
            prefix = f"callbacks/{index}/"
            own = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
            if own and hasattr(callback, "set_state_tensors"):
                callback.set_state_tensors(own)
        data = state.get("data")
        self._batches = int(state["batches"])
        # The RNG states last: nothing above may draw from them after this.
        states = state["rng"]
        if len(states) != ranks:
            warnings.warn(
                f"BackupAndRestore: the checkpoint was written by {len(states)} process(es) and this run has "
                f"{ranks}; the data order resumes exactly but random draws (dropout) do not.",
                UserWarning,
                stacklevel=2,
            )
        _set_rng_state(states[rank % len(states)])
        fit.resume = {"epoch": int(state["epoch"]), "step": int(state["step"]), "data": data}

    def _checkpoints(self, committed_only: bool = True) -> list[str]:
        """Checkpoint directories, newest first."""
        if not os.path.isdir(self.backup_dir):
            return []
        found = []
        for name in os.listdir(self.backup_dir):
            path = os.path.join(self.backup_dir, name)
            if name.startswith(_PREFIX) and os.path.isdir(path):
                if not committed_only or os.path.exists(os.path.join(path, _MARKER)):
                    found.append(path)
            elif name.startswith(".tmp-") and not committed_only:
                with contextlib.suppress(OSError):
                    shutil.rmtree(path)  # a write that was interrupted
        return sorted(found, key=_sequence_of, reverse=True)

    def get_state(self) -> dict[str, Any]:
        return {}


def _sequence_of(path: str) -> int:
    try:
        return int(os.path.basename(path)[len(_PREFIX):])
    except ValueError:
        return -1


def _rng_state() -> dict[str, Any]:
    """This process's RNG states (torch CPU and CUDA, NumPy, Python) as JSON data."""
    kind, keys, position, has_gauss, gauss = np.random.get_state()
    return {
        "torch": _bytes_to_text(torch.get_rng_state()),
        "cuda": [_bytes_to_text(t) for t in torch.cuda.get_rng_state_all()] if torch.cuda.is_available() else [],
        "numpy": [kind, [int(k) for k in keys], int(position), int(has_gauss), float(gauss)],
        "python": _python_state_to_json(random.getstate()),
    }


def _set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(_text_to_bytes(state["torch"]))
    if torch.cuda.is_available() and state["cuda"]:
        torch.cuda.set_rng_state_all([_text_to_bytes(t) for t in state["cuda"]])
    kind, keys, position, has_gauss, gauss = state["numpy"]
    np.random.set_state((kind, np.asarray(keys, dtype=np.uint32), position, has_gauss, gauss))
    random.setstate(_python_state_from_json(state["python"]))


def _bytes_to_text(tensor: torch.Tensor) -> str:
    return base64.b64encode(tensor.cpu().numpy().tobytes()).decode("ascii")


def _text_to_bytes(text: str) -> torch.Tensor:
    return torch.frombuffer(bytearray(base64.b64decode(text)), dtype=torch.uint8)


def _python_state_to_json(state: tuple) -> list[Any]:
    version, internal, gauss = state
    return [version, list(internal), gauss]


def _python_state_from_json(value: list[Any]) -> tuple:
    version, internal, gauss = value
    return (version, tuple(internal), gauss)
