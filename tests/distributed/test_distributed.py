"""fitorch under ``torchrun`` with gloo on this CPU: the same script, two processes.

Each launch runs ``worker.py`` (an ordinary fitorch script) once per module; the
tests compare what its ranks wrote with a single process computing the same thing
here. Oracles: one process with the global batch (32 = 2 x 16) for training, one
process on all the data for ``evaluate``/``predict``, and an uninterrupted run for
the resumed one.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

import fitorch
from tests.distributed import worker

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKER = os.path.join(HERE, "worker.py")
KINDS = ["tensors", "sequence", "dataset", "dataloader", "generator"]


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": ROOT, **extra}
    if os.path.exists("/sys/class/net/lo"):  # gloo on loopback, whatever this host's name resolves to
        env.setdefault("GLOO_SOCKET_IFNAME", "lo")
    env.pop("FITORCH_DIST_TIMEOUT", None)
    return env


def torchrun(scenario: str, out: str, *options: str, timeout: int = 150, **env: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", *options,
               WORKER, scenario, out]  # fmt: skip
    return subprocess.run(command, env=_env(**env), capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def results(out: str, name: str, rank: int) -> tuple[dict[str, torch.Tensor], dict]:
    base = os.path.join(out, "results", f"{name}-rank{rank}")
    with open(base + ".json") as handle:
        return load_file(base + ".safetensors"), json.load(handle)


def _check(run: subprocess.CompletedProcess) -> None:
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-6000:]


@pytest.fixture(scope="module")
def ddp_run(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = str(tmp_path_factory.mktemp("ddp"))
    _check(torchrun("equivalence", out))
    return out


@pytest.fixture(scope="module")
def reference() -> dict:
    """One process, batch 32: the same global batches as two processes with batch 16 each."""
    x, y = worker.data(64, seed=1)
    x_test, y_test = worker.data(100, seed=2)
    model = worker.build()
    model.compile(fitorch.optimizers.SGD(0.1), "mse", metrics=["mae"])
    history = model.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0)
    kinds, evaluations = {}, {}
    for kind in KINDS:  # the loaders batch by themselves: give them the global batch
        single = worker.build()
        single.compile(fitorch.optimizers.SGD(0.1), "mse")
        single.fit(x, y, batch_size=32, shuffle=False, verbose=0)
        kinds[kind] = single.state_dict()
        evaluations[kind] = single.evaluate(x_test, y_test, batch_size=16, return_dict=True, verbose=0)
    synchronized = worker.build(batch_norm=True)
    synchronized.compile(fitorch.optimizers.SGD(0.1), "mse")
    synchronized.fit(x, y, batch_size=32, shuffle=False, verbose=0)
    kinds["batch_norm"] = synchronized.state_dict()
    return {
        "model": model, "history": history.history, "x_test": x_test,
        "evaluate": model.evaluate(x_test, y_test, batch_size=16, return_dict=True, verbose=0),
        "predict": model.predict(x_test, batch_size=16, verbose=0), "kinds": kinds, "kind_evaluations": evaluations,
    }  # fmt: skip


def _assert_weights_close(found: dict[str, torch.Tensor], expected: dict[str, torch.Tensor], prefix: str = "") -> None:
    for name, value in expected.items():
        torch.testing.assert_close(found[prefix + name], value, atol=1e-6, rtol=0, msg=f"{prefix}{name}")


@pytest.mark.parametrize("rank", [0, 1])
def test_two_processes_of_16_train_like_one_process_of_32(ddp_run: str, reference: dict, rank: int) -> None:
    tensors, info = results(ddp_run, "final", rank)
    assert info["world_size"] == 2
    _assert_weights_close(tensors, reference["model"].state_dict())
    for name, values in reference["history"].items():  # logged loss/metrics are reduced over the ranks
        np.testing.assert_allclose(info["history"][name], values, atol=1e-6, rtol=0)


@pytest.mark.parametrize("rank", [0, 1])
def test_evaluate_and_predict_on_two_processes_equal_one_process(ddp_run: str, reference: dict, rank: int) -> None:
    tensors, info = results(ddp_run, "final", rank)  # 100 samples in 7 batches: uneven shards
    for name, value in reference["evaluate"].items():
        assert info["evaluate"][name] == pytest.approx(value, abs=1e-6)
    np.testing.assert_allclose(tensors["predict"].numpy(), reference["predict"], atol=1e-6, rtol=0)


@pytest.mark.parametrize("rank", [0, 1])
def test_every_input_kind_is_sharded(ddp_run: str, reference: dict, rank: int) -> None:
    tensors, info = results(ddp_run, "kinds", rank)
    for kind in KINDS:
        _assert_weights_close(tensors, reference["kinds"][kind], prefix=f"{kind}/")
        for name, value in reference["kind_evaluations"][kind].items():
            assert info["evaluate"][kind][name] == pytest.approx(value, abs=1e-6), kind


@pytest.mark.parametrize("rank", [0, 1])
def test_synchronized_batch_normalization_uses_the_global_batch(ddp_run: str, reference: dict, rank: int) -> None:
    tensors, _ = results(ddp_run, "kinds", rank)
    expected = reference["kinds"]["batch_norm"]
    assert "batch_normalization.running_var" in expected  # moving statistics and weights alike
    _assert_weights_close(tensors, expected, prefix="batch_norm/")


@pytest.mark.parametrize("rank", [0, 1])
def test_a_stop_asked_on_one_rank_stops_every_rank_at_that_step(ddp_run: str, rank: int) -> None:
    _, info = results(ddp_run, "kinds", rank)
    assert info["stopped_at"] == [0, 2]


def test_only_rank_zero_prints_and_writes_files(ddp_run: str, reference: dict) -> None:
    with open(os.path.join(ddp_run, "results", "stdout-rank0.txt")) as handle:
        printed = handle.read()
    with open(os.path.join(ddp_run, "results", "stdout-rank1.txt")) as handle:
        assert handle.read() == ""
    assert "Epoch 3/3" in printed and "loss:" in printed
    files = sorted(os.listdir(os.path.join(ddp_run, "files")))
    assert files == ["checkpoint-rank0.fitorch", "log-rank0.csv", "model-rank0.fitorch", "tensorboard-rank0",
                     "weights-rank0.safetensors"]  # fmt: skip
    with open(os.path.join(ddp_run, "files", "log-rank0.csv")) as handle:
        assert len(handle.read().strip().splitlines()) == 4  # header + 3 epochs, written once
    loaded = fitorch.load_model(os.path.join(ddp_run, "files", "model-rank0.fitorch"))
    np.testing.assert_allclose(loaded.predict(reference["x_test"], verbose=0), reference["predict"], atol=1e-6)


@pytest.fixture(scope="module")
def fsdp_run(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = str(tmp_path_factory.mktemp("fsdp"))
    _check(torchrun("fsdp", out))
    return out


@pytest.mark.parametrize("rank", [0, 1])
def test_fsdp_trains_evaluates_and_predicts_like_one_process(fsdp_run: str, reference: dict, rank: int) -> None:
    tensors, info = results(fsdp_run, "final", rank)
    _assert_weights_close(tensors, reference["model"].state_dict())
    for name, value in reference["evaluate"].items():
        assert info["evaluate"][name] == pytest.approx(value, abs=1e-6)
    np.testing.assert_allclose(tensors["predict"].numpy(), reference["predict"], atol=1e-6, rtol=0)


def test_fsdp_models_load_full_weights_into_their_shards(fsdp_run: str) -> None:
    for rank in (0, 1):
        assert results(fsdp_run, "final", rank)[1]["evaluate"]["predict_changed_by_reload"] == 0.0


def test_fsdp_checkpoints_hold_the_whole_model(fsdp_run: str, reference: dict) -> None:
    files = sorted(os.listdir(os.path.join(fsdp_run, "files")))
    assert files == ["checkpoint-rank0.fitorch", "log-rank0.csv", "tensorboard-rank0", "weights-rank0.safetensors"]
    checkpoint = os.path.join(fsdp_run, "files", "checkpoint-rank0.fitorch")
    with zipfile.ZipFile(checkpoint) as archive:  # the optimizer state was gathered too
        assert "optimizer.safetensors" in archive.namelist()
    loaded = fitorch.load_model(checkpoint)  # gathered weights
    assert type(loaded) is fitorch.Sequential
    np.testing.assert_allclose(loaded.predict(reference["x_test"], verbose=0), reference["predict"], atol=1e-6)
    fresh = worker.build()
    fresh.load_weights(os.path.join(fsdp_run, "files", "weights-rank0.safetensors"))
    _assert_weights_close(fresh.state_dict(), reference["model"].state_dict())


def test_a_killed_rank_makes_the_other_fail_fast_with_a_clear_message(tmp_path: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    processes = []
    start = time.monotonic()
    for rank in (0, 1):
        env = _env(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE="2", LOCAL_WORLD_SIZE="2",
                   MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))  # fmt: skip
        processes.append(subprocess.Popen([sys.executable, WORKER, "lost_peer", str(tmp_path)], env=env, cwd=ROOT,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))  # fmt: skip
    _, error = processes[0].communicate(timeout=90)
    _, error_1 = processes[1].communicate(timeout=30)
    assert time.monotonic() - start < 60
    assert processes[1].returncode == -9, error_1[-3000:]  # the worker killed rank 1 mid-epoch
    assert processes[0].returncode not in (0, None)
    assert "fitorch: rank 0 of 2 stopped during fit" in error, error[-3000:]
    assert "Another rank most likely crashed or was killed" in error


@pytest.mark.parametrize("distribute", ["ddp", "fsdp"])
def test_torchrun_restart_resumes_to_the_same_weights(distribute: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    uninterrupted = str(tmp_path_factory.mktemp(f"uninterrupted-{distribute}"))
    _check(torchrun("resume", uninterrupted, DISTRIBUTE=distribute))
    # 96 samples, 2 ranks, batch 8: 6 steps an epoch; backups every 3 steps; rank 1 dies after step 17.
    resumed_run = str(tmp_path_factory.mktemp(f"resumed-{distribute}"))
    _check(torchrun("resume", resumed_run, "--max-restarts=1", KILL_AT="17", DISTRIBUTE=distribute))
    for rank in (0, 1):
        resumed, info = results(resumed_run, "final", rank)
        expected, expected_info = results(uninterrupted, "final", rank)
        assert info["restarts"] == 1 and expected_info["restarts"] == 0
        assert info["resumed_at"] == [2, 3]  # the backup after global step 15: epoch 3, step 4 next
        for name, value in expected.items():
            assert torch.equal(resumed[name], value), name
        assert info["history"] == expected_info["history"]
