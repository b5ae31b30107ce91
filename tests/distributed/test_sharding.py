"""Which samples each rank reads, checked in one process against torch's DistributedSampler."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

import fitorch
from fitorch import distributed
from fitorch.callbacks import CallbackList, CSVLogger, LambdaCallback
from fitorch.distributed.sharding import Shard, StridedBatchSampler, shard_samples, stride
from fitorch.metrics import Mean
from fitorch.training.data import ArrayAdapter, IterableAdapter

CPU = torch.device("cpu")


def sampler_indices(count: int, world: int, rank: int, shuffle: bool, seed: int, epoch: int) -> list[int]:
    sampler = DistributedSampler(range(count), num_replicas=world, rank=rank, shuffle=shuffle, seed=seed)
    sampler.set_epoch(epoch)
    return list(sampler)


def adapter_indices(adapter: ArrayAdapter) -> list[int]:
    return [int(v) for batch in adapter.epoch() for v in batch[0].reshape(-1)]


@pytest.mark.parametrize(("count", "world"), [(10, 2), (11, 2), (7, 3), (2, 4), (33, 4)])
@pytest.mark.parametrize("shuffle", [False, True])
def test_training_shards_are_distributed_samplers(count: int, world: int, shuffle: bool) -> None:
    x = np.arange(count, dtype="float32")[:, None]
    for rank in range(world):
        adapter = ArrayAdapter(x, None, None, batch_size=3, shuffle=shuffle, device=CPU,
                               shard=Shard(rank, world, training=True, seed=123))  # fmt: skip
        for epoch in range(3):  # a new permutation each epoch: set_epoch semantics
            assert adapter_indices(adapter) == sampler_indices(count, world, rank, shuffle, 123, epoch)
            adapter.on_epoch_end()


@pytest.mark.parametrize(("count", "world", "batch"), [(100, 2, 16), (10, 3, 4), (3, 4, 1), (32, 2, 16)])
def test_evaluation_shards_cover_every_sample_once(count: int, world: int, batch: int) -> None:
    x = np.arange(count, dtype="float32")[:, None]
    seen = []
    for rank in range(world):
        adapter = ArrayAdapter(x, None, None, batch_size=batch, shuffle=False, device=CPU,
                               shard=Shard(rank, world, training=False))  # fmt: skip
        got = adapter_indices(adapter)
        assert adapter.steps == len(list(range(rank, -(-count // batch), world)))
        seen.extend(got)
    assert sorted(seen) == list(range(count))


def test_shard_samples_pads_like_distributed_sampler_when_ranks_outnumber_samples() -> None:
    order = torch.arange(3)
    assert [shard_samples(order, Shard(r, 8, True)).tolist() for r in range(8)] == [
        sampler_indices(3, 8, r, False, 0, 0) for r in range(8)
    ]


def test_resume_state_replays_the_same_shard() -> None:
    x = np.arange(40, dtype="float32")[:, None]
    adapter = ArrayAdapter(x, None, None, 4, True, CPU, shard=Shard(1, 2, True, seed=9))
    adapter_indices(adapter)
    adapter.on_epoch_end()
    state = dict(adapter.state())
    expected = adapter_indices(adapter)
    again = ArrayAdapter(x, None, None, 4, True, CPU, shard=Shard(1, 2, True, seed=9))
    again.load_state(state)
    assert adapter_indices(again) == expected


class Squares(fitorch.utils.Sequence):
    def __init__(self, count: int) -> None:
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        return np.array([[index]], dtype="float32"), np.array([[index**2]], dtype="float32")


def batch_ids(adapter: IterableAdapter) -> list[int]:
    return [int(v) for batch in adapter.epoch() for v in batch[0].reshape(-1)]


@pytest.mark.parametrize("shuffle", [False, True])
def test_sequences_shard_by_batch_index(shuffle: bool) -> None:
    for rank in range(3):
        adapter = IterableAdapter(Squares(8), CPU, shuffle=shuffle, shard=Shard(rank, 3, True, seed=5))
        assert adapter.steps == 3
        for epoch in range(2):
            assert batch_ids(adapter) == sampler_indices(8, 3, rank, shuffle, 5, epoch)
            adapter.on_epoch_end()
    evaluated = [batch_ids(IterableAdapter(Squares(8), CPU, shard=Shard(r, 3, False))) for r in range(3)]
    assert sorted(sum(evaluated, [])) == list(range(8))


def test_dataloaders_get_a_distributed_sampler_and_set_epoch() -> None:
    dataset = TensorDataset(torch.arange(10.0)[:, None], torch.zeros(10, 1))
    loader = DataLoader(dataset, batch_size=2, shuffle=True)
    for rank in range(2):
        adapter = IterableAdapter(loader, CPU, shard=Shard(rank, 2, True, seed=7))
        assert isinstance(adapter.source.sampler, DistributedSampler) and adapter.steps == 3
        for epoch in range(2):
            assert batch_ids(adapter) == sampler_indices(10, 2, rank, True, 7, epoch)
            adapter.on_epoch_end()
    evaluated = [IterableAdapter(DataLoader(dataset, batch_size=3), CPU, shard=Shard(r, 2, False)) for r in (0, 1)]
    assert isinstance(evaluated[0].source.batch_sampler, StridedBatchSampler)
    assert [batch_ids(a) for a in evaluated] == [[0, 1, 2, 6, 7, 8], [3, 4, 5, 9]]


def test_generators_are_strided_and_training_drops_an_incomplete_last_group() -> None:
    assert list(stride(iter(range(7)), Shard(0, 3, True))) == [0, 3]
    assert list(stride(iter(range(7)), Shard(2, 3, True))) == [2, 5]
    assert list(stride(iter(range(7)), Shard(0, 3, False))) == [0, 3, 6]
    assert list(stride(iter(range(7)), Shard(2, 3, False))) == [2, 5]

    def batches():  # noqa: ANN202
        for i in range(5):
            yield np.array([[i]], dtype="float32"), np.zeros((1, 1), dtype="float32")

    assert batch_ids(IterableAdapter(batches(), CPU, shard=Shard(1, 2, True))) == [1, 3]
    assert batch_ids(IterableAdapter(batches(), CPU, shard=Shard(0, 2, False))) == [0, 2, 4]


def test_helpers_in_a_single_process() -> None:
    assert distributed.rank() == 0 and distributed.world_size() == 1 and distributed.local_rank() == 0
    assert distributed.is_main_process() and not distributed.is_distributed()
    assert distributed.initialize() is False
    distributed.barrier()


def test_helpers_read_the_launcher_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RANK", "3")
    monkeypatch.setenv("WORLD_SIZE", "4")
    monkeypatch.setenv("LOCAL_RANK", "1")
    assert (distributed.rank(), distributed.world_size(), distributed.local_rank()) == (3, 4, 1)
    assert not distributed.is_main_process() and distributed.is_distributed()
    monkeypatch.setenv("RANK", "three")
    with pytest.raises(ValueError, match="RANK must be an integer; received 'three'"):
        distributed.rank()


def test_compile_checks_the_distribute_argument() -> None:
    model = fitorch.Sequential([fitorch.layers.Dense(1)])
    for spec in ("auto", "ddp", "FSDP", None, distributed.DataParallel(find_unused_parameters=True)):
        model.compile("sgd", "mse", distribute=spec)
    with pytest.raises(ValueError, match="distribute must be 'auto', 'ddp', 'fsdp', None .* received 'dp'"):
        model.compile("sgd", "mse", distribute="dp")
    assert repr(distributed.FullyShard(reshard_after_forward=False)) == "FullyShard(reshard_after_forward=False)"


def test_single_process_fit_is_untouched_by_distribute() -> None:
    x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
    weights = []
    for spec in ("auto", "ddp", None):
        fitorch.utils.clear_session()
        torch.manual_seed(0)
        model = fitorch.Sequential([fitorch.layers.Input(shape=(3,)), fitorch.layers.Dense(1)])
        model.compile("adam", "mse", distribute=spec)
        model.fit(x, x[:, :1], epochs=2, verbose=0)
        assert not model.distributed
        weights.append(model.get_weights())
    for other in weights[1:]:
        for a, b in zip(weights[0], other, strict=True):
            np.testing.assert_array_equal(a, b)


def test_other_ranks_run_no_file_writers_and_print_nothing(tmp_path: str, capsys: pytest.CaptureFixture) -> None:
    model = fitorch.Sequential([fitorch.layers.Dense(1)])
    talker = LambdaCallback(on_epoch_end=lambda epoch, logs: print("epoch done"))
    writer = CSVLogger(str(tmp_path / "log.csv"))
    quiet = CallbackList([talker, writer], model, {}, main_process=False)
    assert quiet.callbacks == [talker]
    quiet.call("on_epoch_end", 0, {"loss": 1.0})
    assert capsys.readouterr().out == ""
    CallbackList([talker, writer], model, {}).call("on_epoch_end", 0, {"loss": 1.0})
    assert capsys.readouterr().out == "epoch done\n"


def test_metric_states_declare_how_ranks_combine_them() -> None:
    mean = Mean()
    assert [reduction for _, reduction in mean.reducible_states()] == ["sum", "sum"]
    with pytest.raises(ValueError, match="reduction must be 'sum', 'max' or 'min'; received 'mean'"):
        mean.add_state("extra", reduction="mean")


def test_ranks_agree_on_stopping_each_step_only_when_a_callback_could_stop_mid_epoch(tmp_path: str) -> None:
    model = fitorch.Sequential([fitorch.layers.Dense(1)])
    quiet = [fitorch.callbacks.ProgbarLogger(), fitorch.callbacks.BackupAndRestore(str(tmp_path)),
             fitorch.callbacks.ModelCheckpoint(str(tmp_path / "m.fitorch")), CSVLogger(str(tmp_path / "l.csv")),
             LambdaCallback(on_epoch_end=lambda epoch, logs: None)]  # fmt: skip
    assert not CallbackList(quiet, model, {}).may_stop_mid_epoch()
    for stopper in (fitorch.callbacks.TerminateOnNaN(), LambdaCallback(on_train_batch_end=lambda b, logs: None)):
        assert CallbackList([*quiet, stopper], model, {}).may_stop_mid_epoch()


def test_only_failed_collectives_are_explained_as_a_lost_peer() -> None:
    from fitorch.distributed.loop import LoopDistribution

    distribution = LoopDistribution(None)
    distribution.active, distribution.rank, distribution.world_size = True, 1, 4
    user_error = RuntimeError("mat1 and mat2 shapes cannot be multiplied (4x3 and 5x2)")
    assert distribution.explain(user_error, "fit") is user_error
    def collective() -> None:
        raise RuntimeError("op.preamble.length <= op.nbytes")

    # an error raised inside torch's collective code, whatever its wording
    collective.__code__ = collective.__code__.replace(co_filename="/torch/distributed/distributed_c10d.py")
    try:
        collective()
    except RuntimeError as error:
        explained = distribution.explain(error, "evaluate")
    assert str(explained).startswith("fitorch: rank 1 of 4 stopped during evaluate: a collective operation")
    gloo = RuntimeError("[pair.cc:553] Connection closed by peer [127.0.0.1]:44774")
    assert "Another rank most likely crashed" in str(distribution.explain(gloo, "fit"))
    assert LoopDistribution(None).explain(gloo, "fit") is gloo  # not distributed: left alone
