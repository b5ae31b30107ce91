"""Data-parallel and sharded training on ``torch.distributed``, with the same ``fit`` call.

Launch an ordinary fitorch script with ``torchrun --nproc_per_node=N train.py``:
fitorch starts the process group (NCCL on GPUs, gloo on CPUs), gives each process
its GPU, wraps the model in DDP (or FSDP2 with ``compile(distribute='fsdp')``),
gives each rank its part of the data, reduces the loss and metrics over the ranks,
and lets only rank 0 print and write files. See ``docs/distributed.md``.

Example:
    >>> from fitorch import distributed
    >>> distributed.is_main_process(), distributed.world_size()
    (True, 1)
    >>> distributed.barrier()  # a no-op in a single process
"""

from fitorch.distributed.runtime import barrier as barrier
from fitorch.distributed.runtime import initialize as initialize
from fitorch.distributed.runtime import is_distributed as is_distributed
from fitorch.distributed.runtime import is_main_process as is_main_process
from fitorch.distributed.runtime import local_rank as local_rank
from fitorch.distributed.runtime import rank as rank
from fitorch.distributed.runtime import world_size as world_size
from fitorch.distributed.strategies import DataParallel as DataParallel
from fitorch.distributed.strategies import FullyShard as FullyShard
from fitorch.distributed.strategies import Strategy as Strategy

__all__ = [
    "DataParallel", "FullyShard", "Strategy", "barrier", "initialize", "is_distributed", "is_main_process",
    "local_rank", "rank", "world_size",
]  # fmt: skip
