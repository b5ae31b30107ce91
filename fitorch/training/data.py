"""Data adapters: every kind of input becomes an iterator of batches on the model's device.

* NumPy arrays and tensors (and lists/dicts of them) are converted once, copied to
  the device once, and batched by indexing with a device ``randperm``: no collation
  and no per-step host work. Arrays too big for that (past ``STREAM_THRESHOLD_BYTES``,
  or on CUDA past ``STREAM_FREE_FRACTION`` of the free device memory) stay on the host
  and are streamed: each batch is gathered on the host (pinned when the target is
  CUDA), copied with ``non_blocking=True`` on a side stream, and the next batch is
  gathered and its copy queued before the current one is handed out. Batches, order
  and shuffling are the same either way.
* Generators and iterators, ``fitorch.utils.Sequence``, torch ``Dataset`` and
  ``DataLoader`` go through adapters that convert each batch as it is consumed, pin
  host memory when the target is CUDA and copy with ``non_blocking=True``; on CUDA the
  next batch is read and its copy queued before the current one is handed out (a
  ``DataLoader``'s own workers prefetch further).

Bad data is reported before training starts: mismatched lengths, a missing
``steps_per_epoch`` for an infinite generator, ``validation_split`` on a generator;
``fitorch.training.validation`` holds the checks and their messages. Batches from
generators are checked as they arrive (host-side shapes and types only).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import warnings
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset

from fitorch import config
from fitorch.distributed.sharding import (
    Shard,
    epoch_order,
    samples_per_rank,
    set_epoch,
    shard_loader,
    shard_samples,
    stride,
    strided,
)  # fmt: skip
from fitorch.training import validation
from fitorch.utils.sequence import Sequence
from fitorch.utils.tree import flatten, map_structure, pack_sequence_as

Batch = tuple[Any, ...]
_UNSET = object()

#: Host arrays larger than this (in bytes, all arrays of one ``fit`` argument together)
#: are streamed to the device batch by batch instead of being copied whole.
STREAM_THRESHOLD_BYTES = 2 * 1024**3
#: On CUDA, arrays are also streamed when they would take more than this fraction of the
#: device memory free when training starts (``torch.cuda.mem_get_info``).
STREAM_FREE_FRACTION = 0.25


def _host_bytes(leaves: list[Any], device: torch.device) -> int:
    """Bytes a whole copy would move to ``device``: NumPy arrays, and tensors that sit elsewhere."""
    total = 0
    for leaf in leaves:
        if isinstance(leaf, np.ndarray):
            total += leaf.nbytes
        elif isinstance(leaf, torch.Tensor) and leaf.device != device:
            total += leaf.numel() * leaf.element_size()
    return total


def streams(leaves: list[Any], device: torch.device) -> bool:
    """Whether arrays of this size go to ``device`` batch by batch (see ``STREAM_THRESHOLD_BYTES``)."""
    size = _host_bytes(leaves, device)
    limit = STREAM_THRESHOLD_BYTES
    if device.type == "cuda" and size:
        free, _ = torch.cuda.mem_get_info(device)
        limit = min(limit, int(STREAM_FREE_FRACTION * free))
    return size > limit


def _one_ahead(items: Iterator[Any]) -> Iterator[Any]:
    """Yields each item only once the next one has been made (its host work done, its copy queued)."""
    following = next(items, _UNSET)
    while following is not _UNSET:
        current, following = following, next(items, _UNSET)
        yield current


def _is_array(value: Any) -> bool:
    return isinstance(value, (np.ndarray, torch.Tensor))


def is_array_data(x: Any) -> bool:
    """True when ``x`` is an array, a tensor, or a list/tuple/dict of them."""
    if x is None:
        return False
    leaves = flatten(x)
    return bool(leaves) and all(_is_array(leaf) for leaf in leaves)


def prepare(tree: Any, device: torch.device, non_blocking: bool = False, float_dtype: torch.dtype | None = None) -> Any:
    """Converts arrays to tensors, float64 to ``floatx``, and moves everything to ``device``.

    ``float_dtype`` is the model's: a float64 model keeps float64 data and gets other floating data as float64.
    """
    floatx = config.floatx_dtype()
    to_float64 = float_dtype == torch.float64

    def _convert(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            value = torch.from_numpy(np.ascontiguousarray(value))
        elif isinstance(value, (list, int, float)) and not isinstance(value, bool):
            value = torch.as_tensor(value)
        if isinstance(value, torch.Tensor):
            if to_float64:
                if value.is_floating_point() and value.dtype != torch.float64:
                    value = value.to(torch.float64)
            elif value.dtype == torch.float64 and floatx != torch.float64:
                value = value.to(floatx)
            if value.device != device:
                if non_blocking and value.device.type == "cpu" and device.type == "cuda":
                    value = value.pin_memory()
                value = value.to(device, non_blocking=non_blocking)
        return value

    return map_structure(_convert, tree)


def _host_tensor(value: Any, device: torch.device, float_dtype: torch.dtype | None) -> torch.Tensor:
    """For streaming: host data as a tensor sharing its memory; a tensor on an accelerator prepared on ``device``."""
    if isinstance(value, np.ndarray):
        return torch.from_numpy(np.ascontiguousarray(value))
    if value.device.type != "cpu":  # already on an accelerator: moved whole, as without streaming
        return prepare(value, device, float_dtype=float_dtype)
    return value


def _float_dtype(model: Any) -> torch.dtype | None:
    return validation.model_float_dtype(model) if model is not None else None


def pack_batch(x: Any, y: Any = None, sample_weight: Any = None) -> Batch:
    """``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``, as ``unpack_batch`` reads them."""
    if y is None and sample_weight is None:
        return (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def class_weights_for(y: torch.Tensor, class_weight: Mapping[int, float]) -> torch.Tensor:
    """Per-sample weights from ``class_weight``; one-hot targets use their argmax."""
    table = torch.zeros(max(class_weight) + 1, device=y.device)
    table[list(class_weight)] = torch.tensor(list(class_weight.values()), dtype=table.dtype, device=y.device)
    labels = y
    if labels.ndim > 1 and labels.shape[-1] > 1:
        labels = labels.argmax(dim=-1)
    elif labels.ndim > 1:
        labels = labels.squeeze(-1)
    return table[labels.round().long() if labels.is_floating_point() else labels.long()]


def _apply_class_weight(batch: Batch, class_weight: Mapping[int, float] | None) -> Batch:
    if not class_weight or len(batch) < 2:
        return batch
    x, y = batch[0], batch[1]
    if not isinstance(y, torch.Tensor):
        raise ValueError("class_weight needs a single target array; this model has several outputs.")
    weights = class_weights_for(y, class_weight)
    if len(batch) == 3 and batch[2] is not None:
        weights = weights * batch[2]
    return (x, y, weights)


class DataAdapter:
    """Base: ``steps`` per epoch (``None`` when unknown) and ``epoch()`` yielding device batches."""

    steps: int | None = None

    def epoch(self, start_step: int = 0) -> Iterator[Batch]:
        raise NotImplementedError

    def state(self) -> dict[str, Any] | None:
        """The data order to resume from, or ``None`` when the source cannot replay exactly."""
        return None

    def load_state(self, state: dict[str, Any]) -> None:
        """Restores what ``state`` returned."""

    def first_batch(self) -> Batch:
        """A batch to build a lazily built model with (not consumed from the epoch)."""
        raise NotImplementedError

    def host_first_batch(self) -> Batch:
        """The first batch before it is moved to the device (host data for the first-batch checks)."""
        raise NotImplementedError

    def on_epoch_end(self) -> None:
        """Called after each epoch."""

    def close(self) -> None:
        """Called when the loop ends: releases what the adapter started (threads fetching ahead)."""


class ArrayAdapter(DataAdapter):
    """In-memory arrays: copied to the device once, batched by device indexing.

    In a distributed run (``shard`` given) training reads ``DistributedSampler``'s
    split of each epoch and evaluation every ``world_size``-th batch (see
    ``fitorch.distributed.sharding``).
    """

    def __init__(
        self,
        x: Any,
        y: Any,
        sample_weight: Any,
        batch_size: int,
        shuffle: bool,
        device: torch.device,
        class_weight: Mapping[int, float] | None = None,
        steps: int | None = None,
        shard: Shard | None = None,
        argument: str = "x",
        model: Any = None,
    ) -> None:
        check_lengths(x, y, sample_weight, argument)
        self.structure = pack_batch(x, y, sample_weight)
        first = min(batch_size, flatten(x)[0].shape[0])
        self.host_head = map_structure(lambda a: a[:first], self.structure)  # for validation.check_first_batch
        leaves = flatten(self.structure)
        self.float_dtype = _float_dtype(model)
        self.streamed = streams(leaves, device)
        self._copy_stream: torch.cuda.Stream | None = None
        self.x_count = len(flatten(x))
        self.caster = validation.input_caster(model, x) if model is not None else None
        if self.streamed:
            # Host arrays stay where they are (as tensors sharing their memory); a batch is
            # gathered, converted and copied when it is needed. Tensors already on the device stay.
            tensors = [_host_tensor(leaf, device, self.float_dtype) for leaf in leaves]
            self._copy_stream = torch.cuda.Stream(device) if device.type == "cuda" else None
        else:
            tensors = prepare(leaves, device, float_dtype=self.float_dtype)
            if self.caster is not None:
                tensors = self.caster(tensors[: self.x_count]) + tensors[self.x_count :]
        if class_weight:
            if y is None or len(flatten(y)) != 1:
                raise ValueError("class_weight needs a single target array y.")
            validation.check_class_weight(class_weight, flatten(y)[0], num_classes(model))
            self.structure = pack_batch(x, y, 0)
            y_index = len(flatten(x))
            # Streamed data is converted here as the whole copy was, for the weights only (on the host).
            weights = class_weights_for(self._converted(tensors[y_index]), class_weight)
            if sample_weight is not None:
                weights = weights * self._converted(tensors[-1]).reshape(weights.shape)
                tensors = tensors[:-1]
            tensors.append(weights)
        self.tensors = tensors
        self._flat = len(self.structure) == len(tensors)  # no nested inputs or targets
        self.num_samples = tensors[0].shape[0]
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.device = device
        self.shard = shard
        # Pass p reads the permutation seeded by seed + p (DistributedSampler's rule): the
        # seed comes from torch's global RNG (reproducible under torch.manual_seed; rank 0's
        # in a distributed run), and (seed, pass, position) is all a resume needs.
        self.seed = shard.seed if shard is not None else int(torch.randint(0, 2**62, (1,)).item())
        if shard is not None and shard.training:
            self._pass_size = samples_per_rank(self.num_samples, shard.world_size)
        else:
            self._pass_size = self.num_samples
        if shard is not None and not shard.training:
            full_steps = len(strided(math.ceil(self.num_samples / batch_size), shard))
        else:
            full_steps = math.ceil(self._pass_size / batch_size)
        self.steps = full_steps if steps is None else steps
        self._pass = -1  # passes over the data started so far, less one
        self._position = 0  # where the current pass stands (steps_per_epoch may end an epoch mid-pass)
        self._order: torch.Tensor | None = None  # this pass's sample indices; None: in order
        self._resume_point: dict[str, Any] | None = None  # the state to resume the current epoch from

    def _slice(self, index: torch.Tensor | slice) -> Batch:
        if self.streamed:
            return self._finish(self._start(index))
        if self._flat:
            return tuple([t[index] for t in self.tensors])  # (x, y[, w]) of single tensors
        return pack_sequence_as(self.structure, [t[index] for t in self.tensors])

    def _converted(self, tensor: torch.Tensor) -> torch.Tensor:
        """``tensor`` with the dtype the whole copy gives it (a no-op unless streamed)."""
        return prepare(tensor, tensor.device, float_dtype=self.float_dtype) if self.streamed else tensor

    def _start(self, index: torch.Tensor | slice) -> list[torch.Tensor]:
        """Streaming: gathers a batch on the host and queues its copy to the device (on the side stream on CUDA)."""
        on_cuda = self._copy_stream is not None
        with torch.cuda.stream(self._copy_stream) if on_cuda else contextlib.nullcontext():
            leaves = []
            for t in self.tensors:
                if t.device.type != "cpu" and isinstance(index, torch.Tensor):
                    # A tensor given on the device is indexed there (the index copied on this stream too);
                    # preparing it again changes nothing.
                    leaves.append(t[prepare(index, self.device, on_cuda)])
                else:
                    leaves.append(prepare(t[index], self.device, on_cuda, self.float_dtype))
            return leaves

    def _finish(self, leaves: list[torch.Tensor]) -> Batch:
        """Streaming: makes the compute stream wait for the batch's copy, then casts it as the whole copy was."""
        if self._copy_stream is not None:
            current = torch.cuda.current_stream(self.device)
            current.wait_stream(self._copy_stream)
            for leaf in leaves:
                leaf.record_stream(current)  # allocated on the side stream, used on this one
        if self.caster is not None:
            leaves = self.caster(leaves[: self.x_count]) + leaves[self.x_count :]
        return tuple(leaves) if self._flat else pack_sequence_as(self.structure, leaves)

    def _set_pass(self, number: int) -> None:
        self._pass = number
        if number < 0:
            self._order = None
            return
        order = epoch_order(self.num_samples, self.seed, number) if self.shuffle else None
        if self.shard is not None and self.shard.training:
            order = shard_samples(order if order is not None else torch.arange(self.num_samples), self.shard)
        if order is not None and not self.streamed:
            order = order.to(self.device)  # streamed data is gathered on the host, by a host order
        self._order = order

    def state(self) -> dict[str, Any]:
        """What ``load_state`` needs to replay the current epoch (or start the next) exactly."""
        if self._resume_point is not None:
            return self._resume_point
        return {"seed": self.seed, "pass": self._pass, "position": self._position}

    def load_state(self, state: dict[str, Any]) -> None:
        self.seed = int(state["seed"])
        self._position = int(state["position"])
        self._set_pass(int(state["pass"]))

    def _batches(self) -> Iterator[slice]:
        """This epoch's batches as windows into the pass's order (or the data, for evaluation)."""
        if self.shard is not None and not self.shard.training:
            total = math.ceil(self.num_samples / self.batch_size)
            for index in strided(total, self.shard)[: self.steps]:
                start = index * self.batch_size
                yield slice(start, min(start + self.batch_size, self.num_samples))
            return
        size = self.batch_size
        for _ in range(self.steps):
            if self._pass < 0 or self._position >= self._pass_size:
                self._set_pass(self._pass + 1)
                self._position = 0
            start = self._position
            self._position = min(start + size, self._pass_size)
            yield slice(start, self._position)

    def epoch(self, start_step: int = 0) -> Iterator[Batch]:
        """One epoch of batches; ``start_step`` skips the batches a resumed run already did."""
        self._resume_point = self.state()
        # Each window is turned into indices as soon as it is drawn: the next pass's order may replace this one's.
        indices = (
            self._order[window] if self._order is not None else window
            for step, window in enumerate(self._batches())
            if step >= start_step
        )
        if self.streamed:
            for started in _one_ahead(self._start(index) for index in indices):
                yield self._finish(started)
        else:
            for index in indices:
                yield self._slice(index)
        self._resume_point = None

    def first_batch(self) -> Batch:
        return self._slice(slice(0, min(self.batch_size, self.num_samples)))

    def host_first_batch(self) -> Batch:
        return self.host_head


class IterableAdapter(DataAdapter):
    """Generators, iterators, re-iterables (``DataLoader``) and ``Sequence``s.

    In a distributed run a ``Sequence`` is split by batch index, a map-style
    ``DataLoader`` is rebuilt around a ``DistributedSampler`` (training) or a strided
    batch sampler (evaluation), and anything else is read in full by every rank and
    split by striding over its batches (``fitorch.distributed.sharding.stride``).
    """

    def __init__(
        self,
        source: Any,
        device: torch.device,
        steps: int | None = None,
        shuffle: bool = False,
        class_weight: Mapping[int, float] | None = None,
        shard: Shard | None = None,
        argument: str = "x",
        model: Any = None,
    ) -> None:
        self.shard = shard
        self.argument = argument
        self.model = model
        self._caster: Any = _UNSET  # how x becomes what the model takes; found on the first batch
        self._strided = False
        if shard is not None and not isinstance(source, Sequence):
            rebuilt = shard_loader(source, shard) if isinstance(source, DataLoader) else None
            if rebuilt is not None:
                source = rebuilt
            else:
                self._strided = True
        self.source = source
        self.device = device
        self.class_weight = class_weight
        self.shuffle = shuffle
        self.is_sequence = isinstance(source, Sequence)
        self.reiterable = self.is_sequence or (isinstance(source, Iterable) and not isinstance(source, Iterator))
        self.requested_steps = steps
        self.steps = steps if steps is not None else self._steps_per_pass()
        self._iterator: Iterator[Any] | None = None
        self._peeked: list[Any] = []
        self._epoch = 0
        self.exhausted = False

    def _steps_per_pass(self) -> int | None:
        length = len_or_none(self.source)
        shard = self.shard
        if length is None or shard is None or not (self.is_sequence or self._strided):
            return length
        if shard.training:
            return samples_per_rank(length, shard.world_size) if self.is_sequence else length // shard.world_size
        return len(strided(length, shard))

    def _new_iterator(self) -> Iterator[Any]:
        if self.is_sequence:
            self.source.on_epoch_begin()
            order = self._sequence_order()
            if self.source.workers > 1:
                return _fetched_ahead(self.source, order, self.source.workers, self.source.max_queue_size)
            return (self.source[int(i)] for i in order)
        set_epoch(self.source, self._epoch)
        if self._strided:
            return stride(iter(self.source), self.shard)
        return iter(self.source)

    def _sequence_order(self) -> list[int]:
        count, shard = len(self.source), self.shard
        if shard is None:
            return list(np.random.permutation(count)) if self.shuffle else list(range(count))
        if not shard.training:
            return list(strided(count, shard))
        order = epoch_order(count, shard.seed, self._epoch) if self.shuffle else torch.arange(count)
        return shard_samples(order, shard).tolist()

    def _next_raw(self, step: int = 0) -> Any:
        if self._peeked:
            return self._peeked.pop(0)
        if self._iterator is None:
            self._iterator = self._new_iterator()
        try:
            return next(self._iterator)
        except (RuntimeError, TypeError, ValueError) as error:
            if not isinstance(self.source, DataLoader):
                raise
            raise type(error)(
                f"{self.argument}: the DataLoader could not make batch {step} from the Dataset's items: {error} "
                "Every item must be x, (x, y) or (x, y, sample_weight), with arrays of the same shape in every item."
            ) from error

    def _host_batch(self, raw: Any, step: int) -> Batch:
        batch = tuple(raw) if isinstance(raw, (tuple, list)) else (raw,)
        return validation.check_batch(batch, step, self.argument, self.device)

    def _convert(self, raw: Any, step: int = 0) -> Batch:
        batch = prepare(self._host_batch(raw, step), self.device, self.device.type == "cuda", _float_dtype(self.model))
        if self._caster is _UNSET:
            self._caster = validation.input_caster(self.model, batch[0]) if self.model is not None else None
        if self._caster is not None:
            batch = (pack_sequence_as(batch[0], self._caster(flatten(batch[0]))), *batch[1:])
        if self.class_weight and step == 0 and len(batch) > 1 and isinstance(batch[1], torch.Tensor):
            validation.check_class_weight(self.class_weight, batch[1], num_classes(self.model))
        return _apply_class_weight(batch, self.class_weight)

    def epoch(self, start_step: int = 0) -> Iterator[Batch]:
        batches = self._epoch_batches(start_step)
        # On CUDA the next batch is read, pinned and its copy queued before this one is handed out.
        return _one_ahead(batches) if self.device.type == "cuda" else batches

    def _epoch_batches(self, start_step: int) -> Iterator[Batch]:
        if self.reiterable and self.requested_steps is None and not self._peeked:
            self._iterator = None  # one fresh pass per epoch
        count, restarted = 0, False
        while self.requested_steps is None or count < self.requested_steps:
            try:
                raw = self._next_raw(count)
            except StopIteration:
                self._iterator = None
                if self.requested_steps is None and count > 0:
                    return  # the end of one full pass
                if self.reiterable and self.requested_steps is not None and not restarted:
                    restarted = True  # steps_per_epoch spans passes: start the source again
                    continue
                self.exhausted = True
                warnings.warn(
                    "Your input ran out of data; interrupting training. Make sure the generator can "
                    "produce steps_per_epoch * epochs batches, or pass a re-iterable source such as a "
                    "Sequence or DataLoader.",
                    UserWarning,
                    stacklevel=2,
                )
                return
            restarted = False
            count += 1
            if count > start_step:  # a resumed epoch skips what the interrupted run consumed
                yield self._convert(raw, count - 1)

    def first_batch(self) -> Batch:
        return self._convert(self._peek())

    def host_first_batch(self) -> Batch:
        """The first batch as the source gave it (checked, not moved), for ``validation.check_first_batch``."""
        return self._host_batch(self._peek(), 0)

    def _peek(self) -> Any:
        if not self._peeked:
            self._peeked.append(self._next_raw())
        return self._peeked[0]

    def on_epoch_end(self) -> None:
        self._epoch += 1
        if self.is_sequence:
            self.source.on_epoch_end()

    def close(self) -> None:
        # Only the iterator made here over a PyDataset: a generator the user passed may be read on by a
        # later fit (Keras continues it), so it is never closed.
        if self.is_sequence and self._iterator is not None:
            self._iterator.close()  # (stops the threads of PyDataset(workers=...))
            self._iterator = None


def _fetched_ahead(source: Sequence, order: list[int], workers: int, max_queue_size: int) -> Iterator[Any]:
    """``source[i]`` for each ``i`` of ``order``, in order, fetched by ``workers`` threads up to
    ``max_queue_size`` batches ahead (Keras' ``PyDataset(workers=...)``). Leaving the loop early
    cancels what was not started and waits for what was."""
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fitorch-pydataset")
    indices = iter(order)
    pending: deque[Future[Any]] = deque(
        pool.submit(source.__getitem__, int(i)) for i in itertools.islice(indices, max(max_queue_size, workers))
    )
    try:
        while pending:
            batch = pending.popleft().result()
            following = next(indices, None)
            if following is not None:
                pending.append(pool.submit(source.__getitem__, int(following)))
            yield batch
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def len_or_none(source: Any) -> int | None:
    try:
        return len(source)
    except TypeError:
        return None


def check_lengths(x: Any, y: Any, sample_weight: Any, argument: str = "x") -> None:
    """Raises a ValueError naming the arrays when their first dimensions differ or are empty."""
    named = zip(validation.role_names(argument), (x, y, sample_weight), strict=True)
    sizes = {}
    for name, tree in named:
        for index, leaf in enumerate(flatten(tree) if tree is not None else []):
            if _is_array(leaf):
                if leaf.ndim == 0:
                    raise ValueError(f"{name}: expected arrays with a batch axis; received a scalar.")
                label = name if len(flatten(tree)) == 1 else f"{name}[{index}]"
                sizes[label] = leaf.shape[0]
                if leaf.shape[0] == 0:
                    raise ValueError(f"{label} is empty: shape {tuple(leaf.shape)} has no samples.")
    if len(set(sizes.values())) > 1:
        detail = ", ".join(f"{k}: {v}" for k, v in sizes.items())
        raise ValueError(f"Data cardinality is ambiguous: the arrays have different numbers of samples ({detail}).")


def num_classes(model: Any) -> int | None:
    """The class count of a single-output functional model (2 for one sigmoid unit); ``None`` when unknown."""
    outputs = getattr(model, "_output_tensors", None) if model is not None else None
    if not outputs or len(outputs) != 1 or not outputs[0].shape or outputs[0].shape[-1] is None:
        return None
    return max(2, int(outputs[0].shape[-1]))


def split_validation(x: Any, y: Any, sample_weight: Any, fraction: float) -> tuple[tuple, tuple]:
    """Keras' ``validation_split``: the last ``fraction`` of the samples, before shuffling."""
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"validation_split must be in (0, 1); received {fraction}.")
    x, y = validation.standardize(x, "x"), validation.standardize(y, "y")
    sample_weight = validation.standardize(sample_weight, "sample_weight")
    if not is_array_data(x):
        raise ValueError(
            "validation_split is only supported for arrays and tensors; for generators, datasets and "
            "Sequences pass validation_data instead."
        )
    check_lengths(x, y, sample_weight)
    total = flatten(x)[0].shape[0]
    split = int(total * (1.0 - fraction))
    if split == 0 or split == total:
        raise ValueError(f"validation_split={fraction} leaves an empty split of {total} samples.")

    def head(tree: Any) -> Any:
        return None if tree is None else map_structure(lambda a: a[:split], tree)

    def tail(tree: Any) -> Any:
        return None if tree is None else map_structure(lambda a: a[split:], tree)

    return (head(x), head(y), head(sample_weight)), (tail(x), tail(y), tail(sample_weight))


def make_adapter(
    x: Any,
    y: Any = None,
    sample_weight: Any = None,
    *,
    batch_size: int | None,
    shuffle: bool,
    device: torch.device,
    steps: int | None = None,
    class_weight: Mapping[int, float] | None = None,
    argument: str = "x",
    shard: Shard | None = None,
    model: Any = None,
) -> DataAdapter:
    """Returns the adapter that fits ``x`` (reading only ``shard``'s part in a distributed run).

    pandas objects and lists of numbers count as arrays. With ``model`` given, integer
    inputs are cast to what its ``Input`` layers take (see ``validation.input_caster``).

    Raises:
        ValueError: for arguments that cannot go together (``y`` with a generator ...).
        TypeError: for data of an unsupported type.
    """
    validation.check_count(batch_size, "batch_size", "fit" if argument == "x" else argument)
    batch_size = None if batch_size is None else int(batch_size)
    x_name, y_name, w_name = validation.role_names(argument)
    x = validation.standardize(x, x_name, device)
    y = validation.standardize(y, y_name, device)
    sample_weight = validation.standardize(sample_weight, w_name, device)
    if is_array_data(x):
        return ArrayAdapter(x, y, sample_weight, batch_size or 32, shuffle, device, class_weight, steps, shard,
                            argument=argument, model=model)  # fmt: skip
    if x is None:
        raise ValueError(f"{argument}: no data was given.")
    if y is not None or sample_weight is not None:
        raise ValueError(
            f"{argument}: y and sample_weight must be None when {argument} is a {type(x).__name__}; "
            "the batches it yields carry the targets."
        )
    if isinstance(x, Dataset) and not isinstance(x, DataLoader):
        loader = DataLoader(
            x,
            batch_size=batch_size or 32,
            shuffle=shuffle and not isinstance(x, IterableDataset),
            pin_memory=device.type == "cuda",
        )
        return IterableAdapter(
            loader, device, steps, class_weight=class_weight, shard=shard, argument=argument, model=model
        )
    if isinstance(x, (Sequence, Iterable)) and not isinstance(x, (str, bytes, Mapping)):
        return IterableAdapter(
            x, device, steps, shuffle=bool(shuffle) and isinstance(x, Sequence), class_weight=class_weight,
            shard=shard, argument=argument, model=model,
        )  # fmt: skip
    raise TypeError(
        f"{argument}: expected NumPy arrays, tensors, a list/dict of them, a generator, a "
        f"fitorch.utils.Sequence, or a torch Dataset/DataLoader; received {type(x).__name__}."
    )
