"""``split_dataset``: a dataset (or arrays) into a left and a right part, e.g. train and test.

Example:
    >>> import numpy as np
    >>> left, right = split_dataset(np.arange(10), left_size=0.8)
    >>> len(left), len(right), int(right[0][0])
    (8, 2, 8)
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset, Subset, TensorDataset

_CALLER = "split_dataset"


def _as_dataset(dataset: Any) -> Dataset:
    if isinstance(dataset, Dataset):
        return dataset
    if isinstance(dataset, (np.ndarray, torch.Tensor)):
        dataset = (dataset,)
    if (
        isinstance(dataset, (list, tuple))
        and dataset
        and all(isinstance(a, (np.ndarray, torch.Tensor)) for a in dataset)
    ):
        tensors = [a if isinstance(a, torch.Tensor) else torch.from_numpy(np.ascontiguousarray(a)) for a in dataset]
        if len({len(t) for t in tensors}) != 1:
            lengths = [len(t) for t in tensors]
            raise ValueError(f"{_CALLER}: the arrays must have the same length; received lengths {lengths}.")
        return TensorDataset(*tensors)
    raise TypeError(
        f"{_CALLER}: dataset must be a torch Dataset, an array or tensor, or a list/tuple of arrays of the same "
        f"length; received {type(dataset).__name__}."
    )


def _size(value: Any, name: str, total: int) -> int | None:
    """A split size as a count: an int is a count, a float a fraction of ``total``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{_CALLER}: {name} must be an int, a float or None; received {value!r}.")
    if isinstance(value, numbers.Integral):
        if not 0 < value < total:
            raise ValueError(
                f"{_CALLER}: {name} must be a count in (0, {total}) or a fraction in (0, 1); received {value}."
            )
        return int(value)
    if not 0 < value < 1:
        raise ValueError(
            f"{_CALLER}: {name} must be a count in (0, {total}) or a fraction in (0, 1); received {value}."
        )
    return round(value * total)


def split_sizes(left_size: Any, right_size: Any, total: int) -> tuple[int, int]:
    """Keras' split sizes: fractions are rounded, a missing side is the complement."""
    if left_size is None and right_size is None:
        raise ValueError(f"{_CALLER}: pass left_size, right_size, or both; received neither.")
    if isinstance(left_size, float) and isinstance(right_size, float) and left_size + right_size > 1:
        raise ValueError(f"{_CALLER}: left_size + right_size is {left_size + right_size}, more than 1.")
    left, right = _size(left_size, "left_size", total), _size(right_size, "right_size", total)
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(f"{_CALLER}: left_size + right_size is {left + right} samples; the dataset has {total}.")
    for count, side in ((left, "left"), (right, "right")):
        if count == 0:
            raise ValueError(
                f"{_CALLER}: with {total} samples, left_size={left_size!r} and right_size={right_size!r}, the {side} "
                "split would be empty."
            )
    return left, right


def split_dataset(
    dataset: Any,
    left_size: float | int | None = None,
    right_size: float | int | None = None,
    shuffle: bool = False,
    seed: int | None = None,
) -> tuple[Subset, Subset]:
    """Splits a dataset into a left and a right part (Keras' ``keras.utils.split_dataset``).

    Args:
        dataset: a torch ``Dataset``, an array or tensor, or a list/tuple of arrays of the
            same length (sample ``i`` is then the tuple of their ``i``-th rows).
        left_size: a fraction in ``(0, 1)`` or a count of samples for the left part; default
            the complement of ``right_size``.
        right_size: the same for the right part; default the complement of ``left_size``.
        shuffle: shuffle the samples before splitting; otherwise the left part is the first
            samples and the right part the last.
        seed: seed for the shuffle.

    Returns:
        ``(left, right)``: two ``torch.utils.data.Subset`` objects, which ``model.fit`` takes
        and which index and iterate sample by sample (as Keras' torch backend returns).

    Raises:
        ValueError: for sizes that are out of range, overlap or leave a side empty.
        TypeError: for a dataset or size of the wrong type.
    """
    data = _as_dataset(dataset)
    total = len(data)
    left, right = split_sizes(left_size, right_size, total)
    if shuffle:
        generator = torch.Generator()
        generator.manual_seed(seed if seed is not None else int(torch.randint(0, 2**62, (), dtype=torch.int64)))
        order = torch.randperm(total, generator=generator).tolist()
    else:
        order = list(range(total))
    return Subset(data, order[:left]), Subset(data, order[total - right :])
