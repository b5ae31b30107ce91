"""What the training loops do differently when several processes train together.

The ``Trainer`` asks one :class:`LoopDistribution` per ``fit``/``evaluate``/``predict``
call; in a single process every method is a pass-through, so the loops read the
same either way.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import torch

from fitorch.distributed import collectives, runtime
from fitorch.distributed.sharding import Shard
from fitorch.distributed.strategies import strategy_for
from fitorch.training.logs import MetricLogs, read_logs

_LOST_PEER = (
    "fitorch: rank {rank} of {world} stopped during {where}: a collective operation with the other ranks failed "
    "({error}). Another rank most likely crashed or was killed; see its log for the first error. With "
    "BackupAndRestore and `torchrun --max-restarts=N` the job resumes from the last checkpoint."
)


# How torch's backends word a peer that went away (gloo raises a bare RuntimeError).
_PEER_MARKERS = ("connection closed by peer", "connection reset", "broken pipe", "timed out", "timeout", "nccl")


# Where torch raises when a collective fails (whatever the backend's wording).
_COLLECTIVE_FILES = ("distributed_c10d.py", "c10d_logger.py", os.path.join("nn", "parallel", "distributed.py"))


def _lost_peer(error: BaseException) -> bool:
    import torch.distributed as dist

    if isinstance(error, dist.DistError):
        return True
    if not isinstance(error, RuntimeError):
        return False
    frames = traceback.extract_tb(error.__traceback__)
    if frames and frames[-1].filename.endswith(_COLLECTIVE_FILES):
        return True
    message = str(error).lower()
    return any(marker in message for marker in _PEER_MARKERS)


class LoopDistribution:
    """The distributed side of one loop call.

    Args:
        spec: the model's ``compile(distribute=...)`` value (``'auto'`` when not compiled).
    """

    def __init__(self, spec: Any) -> None:
        self.active = spec is not None and runtime.initialize()
        self.main = runtime.is_main_process()
        self.rank = runtime.rank() if self.active else 0
        self.world_size = runtime.world_size() if self.active else 1
        self.spec = spec

    def shard(self, training: bool) -> Shard | None:
        """This rank's part of the data; the training shuffle seed is rank 0's."""
        if not self.active:
            return None
        seed = collectives.broadcast_int(int(torch.randint(0, 2**62, (1,)).item())) if training else 0
        return Shard(self.rank, self.world_size, training, seed)

    def apply_strategy(self, model: Any) -> torch.nn.Module | None:
        """Shards the model with FSDP, or returns its DDP wrapper (once, on the first ``fit``).

        Returns:
            The module the training step calls instead of the model (DDP), else ``None``.
        """
        if not self.active or model.distributed:
            return None
        strategy = strategy_for(self.spec, self.world_size)
        return strategy.apply(model) if strategy is not None else None

    def read_logs(self, logs: Any) -> dict[str, float]:
        """The epoch's (or evaluation's) logs over every rank's data; every rank calls it."""
        if not self.active or not isinstance(logs, MetricLogs):
            return read_logs(logs)
        with collectives.reduced_metric_states(logs.metrics()):
            return read_logs(logs)

    def agree_to_stop(self, stop: bool) -> bool:
        """True on every rank when any rank's callbacks asked to stop (so none waits alone)."""
        return collectives.agree(stop) if self.active else stop

    def gather(self, columns: list[list[torch.Tensor]]) -> list[torch.Tensor] | None:
        """Every rank's predictions in the data's order; ``None`` when not distributed."""
        return collectives.gather_batches(columns) if self.active else None

    def lockstep(self, model: Any, batches: Iterator[Any], spare: Callable[[], Any]) -> Iterator[tuple[Any, bool]]:
        """``(batch, real)`` pairs so that every rank of an FSDP model calls forward equally often.

        Evaluation shards are uneven, but an FSDP forward gathers each layer's weights
        from all ranks, so a rank that ran out of batches keeps running forwards on a
        spare batch (``real=False``: the caller discards them) until no rank has data.
        Models that are not sharded get the batches as they are, with no collective.
        """
        if not (self.active and runtime.is_fully_sharded(model)):
            for batch in batches:
                yield batch, True
            return
        last = None
        while True:
            batch = next(batches, None)
            if not collectives.agree(batch is not None):
                return
            if batch is None:
                last = last if last is not None else spare()
                yield last, False
            else:
                last = batch
                yield batch, True

    def explain(self, error: BaseException, where: str) -> BaseException:
        """A lost-peer error that says what happened, or ``error`` itself."""
        if not self.active or not _lost_peer(error):
            return error
        return RuntimeError(_LOST_PEER.format(rank=self.rank, world=self.world_size, where=where, error=error))

    @contextlib.contextmanager
    def explaining(self, where: str) -> Iterator[None]:
        """Re-raises a failed collective inside the block as the lost-peer error of :meth:`explain`."""
        try:
            yield
        except Exception as error:
            explained = self.explain(error, where)
            if explained is error:
                raise
            raise explained from error
