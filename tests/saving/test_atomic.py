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


# ---------------------------------------------------------------------- exclusivity and racing readers
def test_overwrite_false_never_replaces_a_file_another_writer_made(tmp_path, monkeypatch):
    """Check-then-rename left a window after the last check: a file saved there by another process was replaced.

    The racing writer here saves the moment our finished temp file is checked against the target.
    """
    path = tmp_path / "m.bin"
    real_exists = os.path.exists
    raced = []

    def exists_then_raced(candidate):
        found = real_exists(candidate)
        ours_is_written = any(name.startswith(".m.bin.") for name in os.listdir(tmp_path))
        if not found and os.fspath(candidate) == os.fspath(path) and ours_is_written:
            path.write_bytes(b"theirs")
            raced.append(True)
        return found

    monkeypatch.setattr(fitorch.saving.atomic.os.path, "exists", exists_then_raced)
    try:
        atomic_write_bytes(path, b"ours", overwrite=False)
        outcome = "saved"
    except FileExistsError:
        outcome = "refused"
    monkeypatch.undo()
    if raced:  # the other writer got in: its file must survive and we must have been told
        assert (outcome, path.read_bytes()) == ("refused", b"theirs")
    else:
        assert (outcome, path.read_bytes()) == ("saved", b"ours")
    assert sorted(os.listdir(tmp_path)) == ["m.bin"]


def _save_exclusively(path, start_at, results):
    torch.manual_seed(os.getpid())
    model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    while time.time() < start_at:
        pass
    try:
        model.save(path, overwrite=False)
        results.put(("saved", os.getpid()))
    except FileExistsError:
        results.put(("refused", os.getpid()))


def test_overwrite_false_is_exclusive_across_processes(tmp_path, forkserver):
    path = tmp_path / "m.fitorch"
    for attempt in range(3):
        target = path.with_name(f"m{attempt}.fitorch")
        results = forkserver.Queue()
        start_at = time.time() + 1.0
        workers = [forkserver.Process(target=_save_exclusively, args=(target, start_at, results)) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        outcomes = sorted(results.get(timeout=5)[0] for _ in workers)
        assert outcomes == ["refused", "refused", "refused", "saved"], outcomes
        assert load_model(target).output.shape == (None, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m0.fitorch", "m1.fitorch", "m2.fitorch"]


def test_a_reader_racing_a_writer_always_reads_a_complete_file(tmp_path, monkeypatch):
    """The reader took the size from the path and the bytes from a later open: a save landing in between gave
    'not a valid zip archive' for complete files. Here another save lands right after every size query."""
    path = tmp_path / "m.fitorch"
    versions = []
    for units in (8, 8000):  # a small file and one larger than the 64 KiB tail read for the zip directory
        fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(units), layers.Dense(2)]).save(path)
        versions.append(path.read_bytes())
    real_stat, real_replace = os.stat, os.replace

    def then_a_save_lands(result):
        versions.reverse()
        (tmp_path / "next").write_bytes(versions[0])
        real_replace(tmp_path / "next", path)
        return result

    # os.path.getsize, isfile and exists all ask os.stat.
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: then_a_save_lands(real_stat(p, *a, **k)))
    restored = load_model(path)
    monkeypatch.undo()
    assert [layer.units for layer in restored.layers if isinstance(layer, layers.Dense)] in ([8, 2], [8000, 2])
