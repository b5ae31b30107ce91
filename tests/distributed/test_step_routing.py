"""Under DDP only the training step goes through the DDP wrapper (two gloo processes on this CPU).

``model(x)`` elsewhere (here: a callback on rank 0 alone, with gradients on, on a model
whose buffers a DDP forward would broadcast) is the plain model: it must neither hang
nor enter a collective. A custom ``train_step`` calling ``self(x)`` must still have its
gradients averaged: two processes of 16 train like one process of 32.
"""

from __future__ import annotations

import time

import pytest
import torch

import fitorch
from tests.distributed import worker
from tests.distributed.test_distributed import _check, results, torchrun


@pytest.fixture(scope="module")
def routing_run(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = str(tmp_path_factory.mktemp("routing"))
    start = time.monotonic()
    _check(torchrun("routing", out, timeout=120))
    assert time.monotonic() - start < 120
    return out


def test_a_call_on_one_rank_outside_the_step_enters_no_collective(routing_run: str) -> None:
    tensors_0, info_0 = results(routing_run, "routing", 0)
    tensors_1, info_1 = results(routing_run, "routing", 1)
    assert info_0["distributed"] and info_1["distributed"]  # the model was trained under DDP
    assert info_0["probes"] == [True, True, True] and info_1["probes"] == []  # grad-enabled calls, rank 0 only
    for name, value in tensors_0.items():
        if name.startswith("buffers/"):  # the ranks stayed in step: the same weights after every epoch
            torch.testing.assert_close(tensors_1[name], value, atol=0, rtol=0, msg=name)


def test_a_custom_train_step_calling_self_is_synchronised(routing_run: str) -> None:
    x, y = worker.data(64, seed=1)
    single = worker.StepNet()  # oracle: one process with the global batch
    single.compile(fitorch.optimizers.SGD(0.1), "mse")
    single.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0)
    for rank in (0, 1):
        tensors, _ = results(routing_run, "routing", rank)
        for name, value in single.state_dict().items():
            torch.testing.assert_close(tensors[f"custom/{name}"], value, atol=1e-6, rtol=0, msg=f"{rank} {name}")
