"""Which samples or batches each rank reads, so that the ranks together read the data once.

Training follows ``torch.utils.data.DistributedSampler``: each epoch's order is a
permutation seeded by ``seed + epoch`` (the same on every rank), padded by repeating
its head until it divides evenly, and rank ``r`` takes every ``world_size``-th sample
from position ``r``. Every rank then runs the same number of steps, which DDP needs.

Evaluation and prediction must count every sample exactly once, so they do not pad:
rank ``r`` takes batches ``r, r + world_size, ...`` of the unshuffled data, and
:func:`fitorch.distributed.collectives.gather_batches` puts predictions back in order.

Sources fitorch cannot index (generators, iterators, iterable datasets) are read in
full by every rank and split by striding over their batches; see :func:`stride`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import torch
from torch.utils.data import DataLoader, DistributedSampler, IterableDataset, RandomSampler, Sampler


@dataclass(frozen=True)
class Shard:
    """This rank's part of the data.

    Attributes:
        rank: this process's rank.
        world_size: the number of processes.
        training: ``True`` for DistributedSampler's padded, shuffled split;
            ``False`` for the exact, unpadded split of evaluation and prediction.
        seed: the shuffle seed, identical on every rank.
    """

    rank: int
    world_size: int
    training: bool
    seed: int = 0


def epoch_order(num_samples: int, seed: int, epoch: int) -> torch.Tensor:
    """The shuffled order of one epoch: exactly ``DistributedSampler``'s permutation."""
    generator = torch.Generator()
    generator.manual_seed(seed + epoch)
    return torch.randperm(num_samples, generator=generator)


def shard_samples(order: torch.Tensor, shard: Shard) -> torch.Tensor:
    """This rank's samples of ``order``, padded as ``DistributedSampler`` pads.

    Example:
        >>> shard_samples(torch.arange(5), Shard(rank=1, world_size=2, training=True)).tolist()
        [1, 3, 0]
    """
    total = samples_per_rank(len(order), shard.world_size) * shard.world_size
    padding = total - len(order)
    if padding:
        repeats = math.ceil(padding / len(order))
        order = torch.cat([order, order.repeat(repeats)[:padding]])
    return order[shard.rank : total : shard.world_size]


def samples_per_rank(num_samples: int, world_size: int) -> int:
    """How many samples each rank trains on per epoch (with padding)."""
    return math.ceil(num_samples / world_size)


def strided(count: int, shard: Shard) -> range:
    """Positions ``rank, rank + world_size, ...`` below ``count``: this rank's batches when not padding."""
    return range(shard.rank, count, shard.world_size)


class StridedBatchSampler(Sampler[list[int]]):
    """Every ``world_size``-th batch of another batch sampler, from position ``rank`` (an evaluation shard)."""

    def __init__(self, batches: Any, shard: Shard) -> None:
        self.batches = batches
        self.shard = shard

    def __iter__(self) -> Iterator[list[int]]:
        return stride(iter(self.batches), self.shard)

    def __len__(self) -> int:
        return len(strided(len(self.batches), self.shard))


def stride(items: Iterator[Any], shard: Shard) -> Iterator[Any]:
    """This rank's items of a stream every rank reads in full.

    Training reads the stream in groups of ``world_size`` and drops a last group that
    is not full, so every rank runs the same number of steps without talking to the
    others. Evaluation keeps every item.
    """
    if not shard.training:
        for index, item in enumerate(items):
            if index % shard.world_size == shard.rank:
                yield item
        return
    group: list[Any] = []
    for item in items:
        group.append(item)
        if len(group) == shard.world_size:
            yield group[shard.rank]
            group = []


_LOADER_ARGUMENTS = (
    "num_workers", "collate_fn", "pin_memory", "timeout", "worker_init_fn", "multiprocessing_context",
    "generator", "persistent_workers", "pin_memory_device", "in_order",
)  # fmt: skip


def shard_loader(loader: DataLoader, shard: Shard) -> DataLoader | None:
    """A copy of a map-style ``loader`` that reads only this rank's part; ``None`` if it cannot be rebuilt.

    Training puts a ``DistributedSampler`` under the loader's batch size (shuffling when
    the loader shuffled); evaluation takes every ``world_size``-th of its batches.
    """
    if isinstance(loader.dataset, IterableDataset):
        return None
    options = {name: getattr(loader, name) for name in _LOADER_ARGUMENTS if hasattr(loader, name)}
    if loader.num_workers > 0:
        options["prefetch_factor"] = loader.prefetch_factor
    else:
        options.pop("persistent_workers", None)
        options.pop("multiprocessing_context", None)
    if shard.training:
        if loader.batch_size is None:  # a custom batch_sampler: fitorch cannot reshape it
            return None
        sampler = DistributedSampler(
            loader.dataset, num_replicas=shard.world_size, rank=shard.rank,
            shuffle=isinstance(loader.sampler, RandomSampler), seed=shard.seed, drop_last=loader.drop_last,
        )  # fmt: skip
        return DataLoader(loader.dataset, batch_size=loader.batch_size, sampler=sampler,
                          drop_last=loader.drop_last, **options)  # fmt: skip
    if loader.batch_sampler is None:  # batching turned off: the loader yields single samples
        return None
    return DataLoader(loader.dataset, batch_sampler=StridedBatchSampler(loader.batch_sampler, shard), **options)


def set_epoch(loader: Any, epoch: int) -> None:
    """Tells a loader's ``DistributedSampler`` the epoch, as torch code must before each epoch."""
    sampler = getattr(loader, "sampler", None)
    if isinstance(sampler, DistributedSampler):
        sampler.set_epoch(epoch)
