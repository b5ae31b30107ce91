"""Atomic writes: the target holds the previous complete file or the new one, never a partial file."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import stat
import time

import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.saving import atomic_write, load_model, save_model
from fitorch.saving.atomic import atomic_write_bytes

TRIALS = 50


def test_success_replaces_the_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "log.csv"
    with atomic_write(path, "w") as handle:
        handle.write("epoch,loss\n")
    with atomic_write(path, "w") as handle:
        handle.write("epoch,loss\n0,1.5\n")
    assert path.read_text() == "epoch,loss\n0,1.5\n"
    assert os.listdir(tmp_path) == ["log.csv"]


def test_an_exception_keeps_the_old_file_and_removes_the_temp(tmp_path):
    path = tmp_path / "w.bin"
    atomic_write_bytes(path, b"old")
    with pytest.raises(RuntimeError, match="disk on fire"):
        with atomic_write(path) as handle:
            handle.write(b"new, half writ")
            raise RuntimeError("disk on fire")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["w.bin"]


def test_overwrite_false_and_modes(tmp_path):
    path = tmp_path / "w.bin"
    atomic_write_bytes(path, b"first")
    with pytest.raises(FileExistsError):
        atomic_write_bytes(path, b"second", overwrite=False)
    assert path.read_bytes() == b"first"
    with pytest.raises(ValueError, match="mode must be 'w' or 'wb'"):
        with atomic_write(path, "a"):
            pass


def test_permissions_are_those_of_a_normal_new_file_or_the_replaced_one(tmp_path):
    fresh = tmp_path / "fresh.bin"
    atomic_write_bytes(fresh, b"x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0o600
    existing = tmp_path / "existing.bin"
    existing.write_bytes(b"x")
    existing.chmod(0o640)
    atomic_write_bytes(existing, b"y")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640


# ---------------------------------------------------------------------- kill -9
def _model(seed: int) -> fitorch.Model:
    torch.manual_seed(seed)
    inputs = layers.Input(shape=(64,), name="x")
    hidden = layers.Dense(256, activation="relu", name="hidden")(inputs)
    return fitorch.Model(inputs, layers.Dense(64, name="out")(hidden), name=f"version_{seed}")


def _save_forever(path: str, ready) -> None:
    """The child: saves versions 1 and 2 to ``path`` in turn until it is killed."""
    versions = [_model(2), _model(1)]
    ready.set()
    index = 0
    while True:
        save_model(versions[index % 2], path)
        index += 1


@pytest.fixture(scope="module")
def forkserver():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["fitorch", __name__])  # each child then starts in milliseconds
    return context


def test_kill_9_at_random_moments_never_leaves_a_partial_file(tmp_path, forkserver):
    path = tmp_path / "model.fitorch"
    expected = {seed: _model(seed).state_dict() for seed in (1, 2)}
    save_model(_model(1), path)
    rng = random.Random(0)
    killed_mid_write = 0
    for _ in range(TRIALS):
        ready = forkserver.Event()
        child = forkserver.Process(target=_save_forever, args=(str(path), ready), daemon=True)
        child.start()
        assert ready.wait(30), "the saving child did not start"
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
        assert child.exitcode == -signal.SIGKILL
        leftovers = [name for name in os.listdir(tmp_path) if name != "model.fitorch"]
        assert all(name.startswith(".model.fitorch.") and name.endswith(".tmp") for name in leftovers)
        killed_mid_write += bool(leftovers)
        for name in leftovers:
            os.unlink(tmp_path / name)
        loaded = load_model(path).state_dict()  # a partial file would raise UnsafeModelError here
        seed = 1 if torch.equal(loaded["hidden.weight"], expected[1]["hidden.weight"]) else 2
        for name, tensor in expected[seed].items():
            assert torch.equal(loaded[name], tensor), f"{name} is neither version"
    assert killed_mid_write > 0, "no kill landed inside a write; the trials did not test the window"
