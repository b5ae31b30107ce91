"""``timeseries_dataset_from_array``: sliding windows over a series, in batches (Keras' semantics).

Example:
    >>> import numpy as np
    >>> data = np.arange(10)
    >>> ds = timeseries_dataset_from_array(data[:-3], data[3:], sequence_length=3, batch_size=2)
    >>> x, y = next(iter(ds))
    >>> x.tolist(), y.tolist()
    ([[0, 1, 2], [1, 2, 3]], [3, 4])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from fitorch.utils.dataset_utils import BatchedDataset, batched

_CALLER = "timeseries_dataset_from_array"


class _Windows(Dataset):
    """Window ``i`` is ``data[p : p + sequence_length * sampling_rate : sampling_rate]`` (and ``targets[p]``)."""

    def __init__(self, data: torch.Tensor, targets: torch.Tensor | None, starts: np.ndarray, length: int, rate: int):
        self.data, self.targets, self.starts = data, targets, starts
        self.offsets = torch.arange(0, length * rate, rate)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index: int) -> Any:
        start = int(self.starts[index])
        window = self.data[start + self.offsets]  # (sequence_length, *features)
        return window if self.targets is None else (window, self.targets[start])


def _as_tensor(values: Any, name: str) -> torch.Tensor:
    if isinstance(values, torch.Tensor):
        return values.detach().cpu()
    array = np.asarray(values)
    if array.dtype == object:
        raise TypeError(f"{_CALLER}: {name} must be an array of numbers; received an array of objects.")
    return torch.from_numpy(np.ascontiguousarray(array))


def _check_positive(value: Any, name: str, length: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{_CALLER}: {name} must be a positive int; received {name}={value!r}.")
    if name != "sequence_length" and value >= length:
        raise ValueError(f"{_CALLER}: {name} must be lower than the data's length {length}; received {name}={value}.")


def timeseries_dataset_from_array(
    data: Any,
    targets: Any,
    sequence_length: int,
    sequence_stride: int = 1,
    sampling_rate: int = 1,
    batch_size: int | None = 128,
    shuffle: bool = False,
    seed: int | None = None,
    start_index: int | None = None,
    end_index: int | None = None,
) -> BatchedDataset:
    """Batches of sliding windows over ``data`` (Keras' ``keras.utils.timeseries_dataset_from_array``).

    Window ``i`` starts at ``p = start_index + i * sequence_stride`` and holds
    ``data[p], data[p + sampling_rate], ...`` (``sequence_length`` steps); its target is
    ``targets[p]`` (indices counted from ``start_index``).

    Args:
        data: array or tensor of time steps, ``(steps, *features)``.
        targets: one target per time step, or ``None`` to yield windows only.
        sequence_length: steps per window.
        sequence_stride: steps between the starts of consecutive windows.
        sampling_rate: steps between the samples inside a window.
        batch_size: windows per batch; ``None`` yields single windows.
        shuffle: shuffle the windows (in a new order each pass).
        seed: seed for the shuffle.
        start_index: first time step used (included).
        end_index: last time step used (excluded).

    Returns:
        A ``BatchedDataset`` (a torch ``DataLoader``) yielding ``(windows, targets)`` tensors,
        ``windows`` of shape ``(batch, sequence_length, *features)``, or windows only when
        ``targets`` is ``None``.

    Raises:
        ValueError: for out-of-range indices, strides or rates, as Keras.
    """
    values = _as_tensor(data, "data")
    length = len(values)
    if start_index is not None and (start_index < 0 or start_index >= length):
        raise ValueError(f"{_CALLER}: start_index must be in [0, {length}); received start_index={start_index}.")
    if end_index is not None:
        if start_index and end_index <= start_index:
            raise ValueError(
                f"{_CALLER}: end_index must be greater than start_index; received start_index={start_index}, "
                f"end_index={end_index}."
            )
        if end_index <= 0 or end_index >= length:
            raise ValueError(f"{_CALLER}: end_index must be in (0, {length}); received end_index={end_index}.")
    _check_positive(sequence_length, "sequence_length", length)
    _check_positive(sampling_rate, "sampling_rate", length)
    _check_positive(sequence_stride, "sequence_stride", length)
    start = start_index or 0
    end = length if end_index is None else end_index
    labels = None if targets is None else _as_tensor(targets, "targets")
    num_windows = end - start - (sequence_length - 1) * sampling_rate
    if labels is not None:
        num_windows = min(num_windows, len(labels) - start)
    starts = np.arange(0, max(num_windows, 0), sequence_stride)
    window_data = values[start:end]
    window_targets = None if labels is None else labels[start:]
    dataset = _Windows(window_data, window_targets, starts, int(sequence_length), int(sampling_rate))
    return batched(dataset, batch_size, shuffle, seed, _CALLER)
