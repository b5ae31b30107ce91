"""Data adapters: every kind of input becomes an iterator of batches on the model's device.

* NumPy arrays and tensors (and lists/dicts of them) are converted once, copied to
  the device once, and batched by indexing with a device ``randperm``: no collation
  and no per-step host work.
* Generators and iterators, ``fitorch.utils.Sequence``, torch ``Dataset`` and
  ``DataLoader`` go through adapters that convert each batch, pin host memory when
  the target is CUDA, copy with ``non_blocking=True``, and prefetch the next batch.

Bad data is reported before training starts: mismatched lengths, a missing
``steps_per_epoch`` for an infinite generator, ``validation_split`` on a generator.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset

from fitorch import config
from fitorch.utils.sequence import Sequence
from fitorch.utils.tree import flatten, map_structure, pack_sequence_as

Batch = tuple[Any, ...]


def _is_array(value: Any) -> bool:
    return isinstance(value, (np.ndarray, torch.Tensor))


def is_array_data(x: Any) -> bool:
    """True when ``x`` is an array, a tensor, or a list/tuple/dict of them."""
    if x is None:
        return False
    leaves = flatten(x)
    return bool(leaves) and all(_is_array(leaf) for leaf in leaves)


def prepare(tree: Any, device: torch.device, non_blocking: bool = False) -> Any:
    """Converts arrays to tensors, float64 to ``floatx``, and moves everything to ``device``."""
    floatx = config.floatx_dtype()

    def _convert(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            value = torch.from_numpy(np.ascontiguousarray(value))
        elif isinstance(value, (list, int, float)) and not isinstance(value, bool):
            value = torch.as_tensor(value)
        if isinstance(value, torch.Tensor):
            if value.dtype == torch.float64 and floatx != torch.float64:
                value = value.to(floatx)
            if value.device != device:
                if non_blocking and value.device.type == "cpu" and device.type == "cuda":
                    value = value.pin_memory()
                value = value.to(device, non_blocking=non_blocking)
        return value

    return map_structure(_convert, tree)


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

    def on_epoch_end(self) -> None:
        """Called after each epoch."""


class ArrayAdapter(DataAdapter):
    """In-memory arrays: copied to the device once, batched by device indexing."""

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
    ) -> None:
        check_lengths(x, y, sample_weight)
        self.structure = pack_batch(x, y, sample_weight)
        tensors = prepare(flatten(self.structure), device)
        if class_weight:
            if y is None or len(flatten(y)) != 1:
                raise ValueError("class_weight needs a single target array y.")
            self.structure = pack_batch(x, y, 0)
            y_index = len(flatten(x))
            weights = class_weights_for(tensors[y_index], class_weight)
            if sample_weight is not None:
                weights = weights * tensors[-1].reshape(weights.shape)
                tensors = tensors[:-1]
            tensors.append(weights)
        self.tensors = tensors
        self._flat = len(self.structure) == len(tensors)  # no nested inputs or targets
        self.num_samples = tensors[0].shape[0]
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.device = device
        full_steps = math.ceil(self.num_samples / batch_size)
        self.steps = full_steps if steps is None else steps
        # The shuffle order comes from a generator of its own, seeded from torch's global
        # RNG: reproducible under torch.manual_seed, and saved/restored for exact resume.
        self.generator = torch.Generator().manual_seed(int(torch.randint(0, 2**62, (1,)).item()))
        self._position = 0  # where the current pass over the data stands (steps_per_epoch < a pass)
        self._order: torch.Tensor | None = None  # this pass's permutation
        self._resume_point: dict[str, Any] | None = None  # the state to resume the current epoch from

    def _slice(self, index: torch.Tensor | slice) -> Batch:
        if self._flat:
            return tuple([t[index] for t in self.tensors])  # (x, y[, w]) of single tensors
        return pack_sequence_as(self.structure, [t[index] for t in self.tensors])

    def _new_pass(self) -> None:
        self._position = 0
        if self.shuffle:
            self._order = torch.randperm(self.num_samples, generator=self.generator).to(self.device)

    def state(self) -> dict[str, Any]:
        """What ``load_state`` needs to replay the current epoch (or start the next) exactly."""
        if self._resume_point is not None:
            return self._resume_point
        return {"generator": self.generator.get_state(), "position": self._position, "order": self._order}

    def load_state(self, state: dict[str, Any]) -> None:
        self.generator.set_state(state["generator"])
        self._position = int(state["position"])
        order = state.get("order")
        self._order = order.to(self.device) if isinstance(order, torch.Tensor) else None

    def epoch(self, start_step: int = 0) -> Iterator[Batch]:
        """One epoch of batches; ``start_step`` skips the batches a resumed run already did."""
        self._resume_point = self.state()
        size = self.batch_size
        for step in range(self.steps):
            if self._position == 0 or self._position >= self.num_samples:
                self._new_pass()
            start = self._position
            stop = min(start + size, self.num_samples)
            self._position = stop
            if step >= start_step:
                yield self._slice(self._order[start:stop] if self._order is not None else slice(start, stop))
        self._resume_point = None

    def first_batch(self) -> Batch:
        return self._slice(slice(0, min(self.batch_size, self.num_samples)))


class IterableAdapter(DataAdapter):
    """Generators, iterators, re-iterables (``DataLoader``) and ``Sequence``s."""

    def __init__(
        self,
        source: Any,
        device: torch.device,
        steps: int | None = None,
        shuffle: bool = False,
        class_weight: Mapping[int, float] | None = None,
    ) -> None:
        self.source = source
        self.device = device
        self.class_weight = class_weight
        self.shuffle = shuffle
        self.is_sequence = isinstance(source, Sequence)
        self.reiterable = self.is_sequence or (isinstance(source, Iterable) and not isinstance(source, Iterator))
        self.requested_steps = steps
        self.steps = steps if steps is not None else len_or_none(source)
        self._iterator: Iterator[Any] | None = None
        self._peeked: list[Any] = []
        self.exhausted = False

    def _new_iterator(self) -> Iterator[Any]:
        if self.is_sequence:
            order = np.random.permutation(len(self.source)) if self.shuffle else range(len(self.source))
            return (self.source[int(i)] for i in order)
        return iter(self.source)

    def _next_raw(self) -> Any:
        if self._peeked:
            return self._peeked.pop(0)
        if self._iterator is None:
            self._iterator = self._new_iterator()
        return next(self._iterator)

    def _convert(self, raw: Any) -> Batch:
        batch = tuple(raw) if isinstance(raw, (tuple, list)) else (raw,)
        batch = prepare(batch, self.device, non_blocking=self.device.type == "cuda")
        return _apply_class_weight(batch, self.class_weight)

    def epoch(self, start_step: int = 0) -> Iterator[Batch]:
        if self.reiterable and self.requested_steps is None and not self._peeked:
            self._iterator = None  # one fresh pass per epoch
        count, restarted = 0, False
        while self.requested_steps is None or count < self.requested_steps:
            try:
                raw = self._next_raw()
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
                yield self._convert(raw)

    def first_batch(self) -> Batch:
        if not self._peeked:
            self._peeked.append(self._next_raw())
        return self._convert(self._peeked[0])

    def on_epoch_end(self) -> None:
        if self.is_sequence:
            self.source.on_epoch_end()


def len_or_none(source: Any) -> int | None:
    try:
        return len(source)
    except TypeError:
        return None


def check_lengths(x: Any, y: Any, sample_weight: Any) -> None:
    """Raises a ValueError naming the arrays when their first dimensions differ."""
    named = [("x", x), ("y", y), ("sample_weight", sample_weight)]
    sizes = {}
    for name, tree in named:
        for index, leaf in enumerate(flatten(tree) if tree is not None else []):
            if _is_array(leaf):
                if leaf.ndim == 0:
                    raise ValueError(f"{name}: expected arrays with a batch axis; received a scalar.")
                label = name if len(flatten(tree)) == 1 else f"{name}[{index}]"
                sizes[label] = leaf.shape[0]
    if len(set(sizes.values())) > 1:
        detail = ", ".join(f"{k}: {v}" for k, v in sizes.items())
        raise ValueError(f"Data cardinality is ambiguous: the arrays have different numbers of samples ({detail}).")


def split_validation(x: Any, y: Any, sample_weight: Any, fraction: float) -> tuple[tuple, tuple]:
    """Keras' ``validation_split``: the last ``fraction`` of the samples, before shuffling."""
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"validation_split must be in (0, 1); received {fraction}.")
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
) -> DataAdapter:
    """Returns the adapter that fits ``x``.

    Raises:
        ValueError: for arguments that cannot go together (``y`` with a generator ...).
        TypeError: for data of an unsupported type.
    """
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size <= 0):
        raise ValueError(f"batch_size must be a positive int; received {batch_size!r}.")
    if is_array_data(x):
        return ArrayAdapter(x, y, sample_weight, batch_size or 32, shuffle, device, class_weight, steps)
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
        return IterableAdapter(loader, device, steps, class_weight=class_weight)
    if isinstance(x, (Sequence, Iterable)) and not isinstance(x, (str, bytes, Mapping)):
        return IterableAdapter(x, device, steps, shuffle=shuffle and isinstance(x, Sequence), class_weight=class_weight)
    raise TypeError(
        f"{argument}: expected NumPy arrays, tensors, a list/dict of them, a generator, a "
        f"fitorch.utils.Sequence, or a torch Dataset/DataLoader; received {type(x).__name__}."
    )

