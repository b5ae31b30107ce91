"""The few collectives fitorch's loops need, each one call per epoch or per evaluation.

* :func:`reduced_metric_states`: sums (or min/max) every metric's state over the
  ranks, so a result read inside equals one process's over the global data.
* :func:`agree`: whether any rank asked to stop, so all stop at the same step.
* :func:`gather_batches`: every rank's predictions, back in the data's order.
* :func:`broadcast_int`, :func:`all_gather_bytes`: a shared seed; per-rank RNG states.

Coordination values that live on the host (flags, seeds, bytes) go through a gloo
group even when training uses NCCL, so they never wait on the GPU.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterator, Sequence
from typing import Any

import torch
import torch.distributed as dist

_global_reads = [0]  # > 0 inside reduced_metric_states

_OPS = {"sum": dist.ReduceOp.SUM, "max": dist.ReduceOp.MAX, "min": dist.ReduceOp.MIN}


@functools.cache
def _host_group_for(default_group: Any) -> Any:  # keyed by the default group: a new one gets its own
    if dist.get_backend() == "gloo":
        return None  # the default group already works on host tensors
    return dist.new_group(backend="gloo")


def host_group() -> Any:
    """A gloo group for host-side coordination (``None``: the default group is gloo)."""
    return _host_group_for(dist.group.WORLD)


def broadcast_int(value: int) -> int:
    """Rank 0's ``value``, on every rank."""
    tensor = torch.tensor([value], dtype=torch.int64)
    dist.broadcast(tensor, src=0, group=host_group())
    return int(tensor.item())


def agree(flag: bool) -> bool:
    """True on every rank when ``flag`` is true on any rank."""
    tensor = torch.tensor([int(flag)], dtype=torch.int32)
    dist.all_reduce(tensor, op=dist.ReduceOp.MAX, group=host_group())
    return bool(tensor.item())


def all_gather_bytes(data: bytes) -> list[bytes]:
    """Every rank's ``data``, by rank (no pickling: raw bytes padded to a common length)."""
    group = host_group()
    world = dist.get_world_size()
    length = torch.tensor([len(data)], dtype=torch.int64)
    lengths = [torch.zeros_like(length) for _ in range(world)]
    dist.all_gather(lengths, length, group=group)
    longest = max(int(n.item()) for n in lengths)
    buffer = torch.zeros(longest, dtype=torch.uint8)
    if data:
        buffer[: len(data)] = torch.frombuffer(bytearray(data), dtype=torch.uint8)
    buffers = [torch.empty_like(buffer) for _ in range(world)]
    dist.all_gather(buffers, buffer, group=group)
    return [b[: int(n.item())].numpy().tobytes() for b, n in zip(buffers, lengths, strict=True)]


def reading_globally() -> bool:
    """True inside :func:`reduced_metric_states`: results read now must cover every rank."""
    return _global_reads[0] > 0


@contextlib.contextmanager
def reduced_metric_states(metrics: Sequence[Any]) -> Iterator[None]:
    """Inside the block every metric's state holds the reduction over all ranks.

    One ``all_reduce`` per (device, dtype, reduction) group of state buffers; the
    local states come back when the block ends, so the metrics keep accumulating
    exactly as before.
    """
    groups: dict[tuple[torch.device, torch.dtype, str], list[torch.Tensor]] = {}
    for metric in metrics:
        flush = getattr(metric, "flush", None)
        if flush is not None:
            flush()
        for buffer, reduction in metric.reducible_states():
            groups.setdefault((buffer.device, buffer.dtype, reduction), []).append(buffer)
    saved = {key: [b.clone() for b in buffers] for key, buffers in groups.items()}
    try:
        for (_, _, reduction), buffers in groups.items():
            flat = torch.cat([b.reshape(-1) for b in buffers])
            dist.all_reduce(flat, op=_OPS[reduction])
            offset = 0
            for buffer in buffers:
                buffer.copy_(flat[offset : offset + buffer.numel()].view_as(buffer))
                offset += buffer.numel()
        _global_reads[0] += 1
        yield
    finally:
        _global_reads[0] = max(0, _global_reads[0] - 1)
        for key, buffers in groups.items():
            for buffer, local in zip(buffers, saved[key], strict=True):
                buffer.copy_(local)


def gather_batches(columns: list[list[torch.Tensor]]) -> list[torch.Tensor]:
    """Reassembles predictions made on strided batches, on every rank.

    Args:
        columns: one list per output of this rank's per-batch tensors (rank ``r`` holds
            global batches ``r, r + world_size, ...``). A rank that got no batch passes
            ``[]``; it learns the outputs' dtypes and shapes from rank 0.

    Returns:
        One tensor per output with every rank's rows, in global batch order.
    """
    world = dist.get_world_size()
    group = host_group()
    described = json.dumps([[str(c[0].dtype), list(c[0].shape[1:])] for c in columns]).encode()
    leaves = json.loads(all_gather_bytes(described)[0])  # rank 0 holds global batch 0
    if not columns:
        columns = [[] for _ in leaves]
    sizes = [int(t.shape[0]) for t in columns[0]] if columns and columns[0] else []
    counts = _gather(torch.tensor([len(sizes)], dtype=torch.int64), world, group)
    padded = torch.zeros(max(int(c.item()) for c in counts), dtype=torch.int64)
    padded[: len(sizes)] = torch.tensor(sizes, dtype=torch.int64)
    table = [t.tolist()[: int(c.item())] for t, c in zip(_gather(padded, world, group), counts, strict=True)]
    rows = [sum(s) for s in table]
    on_host = dist.get_backend() == "gloo"
    merged = []
    for column, (dtype, shape) in zip(columns, leaves, strict=True):
        dtype = getattr(torch, dtype.removeprefix("torch."))
        device = column[0].device if column else torch.device("cpu")
        local = torch.cat(column) if column else torch.empty((0, *shape), dtype=dtype, device=device)
        buffer = local.new_zeros((max(rows), *shape))
        buffer[: local.shape[0]] = local
        if on_host:
            buffer = buffer.cpu()
        elif buffer.device.type == "cpu":
            buffer = buffer.to(torch.device("cuda", torch.cuda.current_device()))
        pieces = _gather(buffer, world, None)
        per_rank = [list(p[:n].split(s)) for p, n, s in zip(pieces, rows, table, strict=True)]
        ordered = [per_rank[b % world][b // world] for b in range(sum(len(s) for s in table))]
        merged.append(torch.cat(ordered).to(device))
    return merged


def _gather(tensor: torch.Tensor, world: int, group: Any) -> list[torch.Tensor]:
    out = [torch.empty_like(tensor) for _ in range(world)]
    dist.all_gather(out, tensor, group=group)
    return out
