"""BackupAndRestore resumes exactly: a run killed with SIGKILL at random points (some during a
checkpoint write) and restarted ends with weights bitwise equal to an uninterrupted run's.

The number of kill trials is FITORCH_KILL_TRIALS (default 10). Runs start from a forkserver
that has fitorch imported already, so each restart costs milliseconds, not an interpreter start.
"""

import multiprocessing
import os
import random
import time

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

import fitorch
from fitorch import layers
from tests.callbacks.resume_worker import train

TRIALS = int(os.environ.get("FITORCH_KILL_TRIALS", "10"))


@pytest.fixture(scope="module")
def context():
    ctx = multiprocessing.get_context("forkserver")
    # torch imports TorchDynamo (~1.5 s) when the first optimizer is built; preloading it keeps each
    # run's time on training, so the random kills land inside fit.
    ctx.set_forkserver_preload(["tests.callbacks.resume_worker", "torch._dynamo"])
    return ctx


def run(ctx, backup, out, kill_after=None):
    """Runs `train` in a child; kills it with SIGKILL after `kill_after` seconds. True if it finished."""
    process = ctx.Process(target=train, args=(str(backup), str(out)))
    process.start()
    process.join(kill_after)
    if process.is_alive():
        process.kill()
        process.join()
        return False
    assert process.exitcode == 0, f"training crashed with exit code {process.exitcode}"
    return True


@pytest.fixture(scope="module")
def reference(context, tmp_path_factory):
    """The uninterrupted run's weights, and a function mapping a fraction to a kill delay.

    Two uninterrupted runs are timed from the parent, which also notes when the first checkpoint is
    committed; the faster run's times are used (a hiccup only makes a run slower). A fraction ``f``
    kills ``f`` of the way from that first checkpoint to the end of the run, so the kills land in
    training, after a checkpoint exists, however slow the machine is at starting processes.
    """
    folder = tmp_path_factory.mktemp("reference")
    assert run(context, folder / "warm-up", folder / "warm-up.safetensors")  # starts the forkserver
    timings = [_timed_run(context, folder / f"backup-{i}", folder / f"w-{i}.safetensors") for i in range(2)]
    first_checkpoint, duration = min(timings, key=lambda timing: timing[1])
    return load_file(folder / "w-0.safetensors"), lambda f: first_checkpoint + f * (duration - first_checkpoint)


def _timed_run(ctx, backup, out):
    """Runs `train` to the end; returns (seconds until its first committed checkpoint, seconds in all)."""
    start = time.perf_counter()
    process = ctx.Process(target=train, args=(str(backup), str(out)))
    process.start()
    first_checkpoint = None
    while process.is_alive():
        if first_checkpoint is None and committed_checkpoints(backup):
            first_checkpoint = time.perf_counter() - start
        time.sleep(0.0005)
    process.join()
    assert process.exitcode == 0, f"training crashed with exit code {process.exitcode}"
    duration = time.perf_counter() - start
    return (first_checkpoint if first_checkpoint is not None else 0.0), duration


RESUMED_FROM_A_CHECKPOINT: list[bool] = []


def committed_checkpoints(backup):
    if not backup.exists():
        return []
    return [p for p in backup.iterdir() if p.name.startswith("checkpoint-") and (p / "COMMITTED").exists()]


def resume_until_done(context, folder, kills):
    killed = False
    for delay in kills:
        if not run(context, folder / "backup", folder / "w.safetensors", kill_after=delay):
            killed = True
    # (A run that outran its kill finished cleanly; test_most_kills_landed_after_a_checkpoint counts these.)
    RESUMED_FROM_A_CHECKPOINT.append(killed and bool(committed_checkpoints(folder / "backup")))
    if killed:
        while not run(context, folder / "backup", folder / "w.safetensors"):
            pass
    return load_file(folder / "w.safetensors")


def assert_bitwise_equal(weights, expected):
    assert weights.keys() == expected.keys()
    for key in expected:
        assert torch.equal(weights[key], expected[key]), key


@pytest.mark.parametrize("trial", range(TRIALS))
def test_killed_at_a_random_point_resumes_exactly(context, reference, tmp_path, trial):
    expected, delay_at = reference
    delay = delay_at(random.Random(trial).uniform(0.05, 0.8))
    assert_bitwise_equal(resume_until_done(context, tmp_path, [delay]), expected)


def test_killed_three_times_resumes_exactly(context, reference, tmp_path):
    expected, delay_at = reference
    rng = random.Random(99)
    delays = [delay_at(rng.uniform(0.2, 0.7)) for _ in range(3)]
    assert_bitwise_equal(resume_until_done(context, tmp_path, delays), expected)


def test_most_kills_landed_after_a_checkpoint():
    # Guards the trials above against testing nothing: most restarts really restored a checkpoint.
    assert len(RESUMED_FROM_A_CHECKPOINT) >= TRIALS
    resumed = sum(RESUMED_FROM_A_CHECKPOINT)
    assert resumed >= len(RESUMED_FROM_A_CHECKPOINT) // 2, f"{resumed} of {len(RESUMED_FROM_A_CHECKPOINT)} resumed"
    print(f"{resumed} of {len(RESUMED_FROM_A_CHECKPOINT)} kills resumed from a checkpoint")


def test_an_uninterrupted_run_is_reproducible(context, reference, tmp_path):
    # The precondition of every comparison above: two clean runs agree bit for bit.
    expected, _ = reference
    assert run(context, tmp_path / "backup", tmp_path / "w.safetensors")
    assert_bitwise_equal(load_file(tmp_path / "w.safetensors"), expected)


def _small_model():
    inputs = layers.Input(shape=(4,))
    model = fitorch.Model(inputs, layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    return model


def test_damaged_newest_checkpoint_falls_back_with_a_warning(tmp_path):
    x, y = np.ones((8, 4), "float32"), np.ones((8, 1), "float32")
    backup = fitorch.callbacks.BackupAndRestore(tmp_path, save_freq=1, delete_checkpoint=False)
    _small_model().fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[backup])
    newest, older = sorted(p for p in os.listdir(tmp_path) if p.startswith("checkpoint-"))[-1:-3:-1]
    with open(tmp_path / newest / "tensors.safetensors", "r+b") as handle:
        handle.write(b"garbage!")
    model = _small_model()
    with pytest.warns(UserWarning, match="falling back to the previous one"):
        model.fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[
            fitorch.callbacks.BackupAndRestore(tmp_path, save_freq=1)])


def test_uncommitted_checkpoints_are_ignored(tmp_path):
    x, y = np.ones((8, 4), "float32"), np.ones((8, 1), "float32")
    os.makedirs(tmp_path / "checkpoint-00000099")  # a directory without COMMITTED: a torn write
    backup = fitorch.callbacks.BackupAndRestore(tmp_path, save_freq=2)
    history = _small_model().fit(x, y, batch_size=2, epochs=2, verbose=0, callbacks=[backup])
    assert history.epoch == [0, 1]  # nothing was restored from the torn checkpoint


def test_bad_arguments():
    with pytest.raises(ValueError, match="save_freq must be 'epoch' or a positive int"):
        fitorch.callbacks.BackupAndRestore("x", save_freq=0)
