"""Set membership, unique values and partial sorting (``keras.ops.isin``, ``unique``, ``argpartition``).

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> ops.isin(torch.tensor([1, 2, 3]), torch.tensor([2, 5])).tolist()
    [False, True, False]
    >>> ops.unique(torch.tensor([3, 1, 3, 2])).tolist()
    [1, 2, 3]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.ops.dtypes import convert, result_dtype
from fitorch.ops.registry import keras_op

_DATA_DEPENDENT = (
    "ops.{op} received a SymbolicTensor. The shape of its output depends on the values of its input, which a "
    "functional model does not know while it is being defined. Call it eagerly on tensors, or inside a layer's "
    "call() (a Layer subclass), where its inputs are real tensors."
)


@keras_op()
def isin(x1: Any, x2: Any, assume_unique: bool = False, invert: bool = False) -> torch.Tensor:
    """True where an element of ``x1`` is in ``x2`` (False there with ``invert=True``); ``x1``'s shape.

    Args:
        x1: the elements to look up.
        x2: the values to look for (any shape).
        assume_unique: a promise that both inputs hold distinct values, which may speed it up.
        invert: look for the elements that are not in ``x2``.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.isin(torch.tensor([[1, 2], [3, 4]]), [4, 1], invert=True).tolist()
        [[False, True], [True, False]]
    """
    x1_t = convert(x1)
    x2_t = convert(x2, like=x1_t)
    dtype = result_dtype(x1_t, x2_t)
    if dtype == torch.bool:
        dtype = torch.int32
    return torch.isin(x1_t.to(dtype), x2_t.to(dtype), assume_unique=assume_unique, invert=invert)


@keras_op(symbolic=False)
def unique(
    x: Any,
    sorted: bool = True,  # noqa: A002
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: int | None = None,
    size: int | None = None,
    fill_value: Any = None,
) -> torch.Tensor | tuple[torch.Tensor, ...]:
    """The sorted unique elements of ``x`` (eager only: the output's length depends on the values).

    Args:
        x: the input tensor.
        sorted: kept for Keras' signature; torch always sorts the unique values.
        return_index: also return, for each unique value, the index of its first occurrence.
        return_inverse: also return the indices into the unique values that rebuild ``x``.
        return_counts: also return how often each unique value occurs.
        axis: compare the slices along ``axis`` instead of single elements; ``None`` (default) flattens ``x``.
        size: pad (with ``fill_value``) or cut the unique values to this length. Padded first indices are 1
            and padded counts 0, as in Keras' torch backend.
        fill_value: the padding value; default 0.

    Returns:
        The unique values, or a tuple ``(values, index, inverse, counts)`` of those asked for, in that order.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> values, index, counts = ops.unique(torch.tensor([3, 1, 3]), return_index=True, return_counts=True)
        >>> values.tolist(), index.tolist(), counts.tolist()
        ([1, 3], [1, 0], [1, 2])
        >>> ops.unique(torch.tensor([3, 1, 3]), size=4, fill_value=-1).tolist()
        [1, 3, -1, -1]
    """
    if isinstance(x, SymbolicTensor):
        raise TypeError(_DATA_DEPENDENT.format(op="unique"))
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
        raise ValueError(f"ops.unique: size must be a non-negative int or None; received {size!r}.")
    x = convert(x)
    if axis is not None and not -x.ndim <= axis < x.ndim:
        raise ValueError(f"ops.unique: axis={axis} is out of range for an input of rank {x.ndim}.")
    dim = 0 if axis is None else axis % x.ndim
    values, inverse, counts = torch.unique(x, sorted=True, return_inverse=True, return_counts=True, dim=axis)
    # The first occurrence of each value: the smallest position that maps to it.
    positions = torch.arange(inverse.numel(), device=inverse.device)
    index = torch.full((values.shape[dim],), inverse.numel(), dtype=inverse.dtype, device=inverse.device)
    index = index.scatter_reduce(0, inverse.reshape(-1), positions, reduce="amin")
    if size is not None:
        values, index, counts = (
            t.narrow(d, 0, min(size, t.shape[d])) for t, d in ((values, dim), (index, 0), (counts, 0))
        )
        missing = size - values.shape[dim]
        if missing > 0:
            widths = [0, 0] * (values.ndim - 1 - dim) + [0, missing]
            values = F.pad(values, widths, value=0 if fill_value is None else fill_value)
            index = F.pad(index, (0, missing), value=1)
            counts = F.pad(counts, (0, missing), value=0)
    outputs = [values]
    outputs += [index] if return_index else []
    outputs += [inverse] if return_inverse else []
    outputs += [counts] if return_counts else []
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


@keras_op()
def argpartition(x: Any, kth: int | Sequence[int], axis: int | None = -1) -> torch.Tensor:
    """Indices that put the ``kth`` element of ``x`` along ``axis`` where sorting would, as int32.

    Everything before it is no larger, everything after no smaller; fitorch returns a full stable
    sort, which is one such order (NumPy's and Keras' orders inside the partitions differ, and
    are unspecified).

    Args:
        x: the input tensor.
        kth: the position (or positions) to put in place; negative ones count from the end.
        axis: the axis to partition along; ``None`` partitions the flattened ``x``.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> x = torch.tensor([3.0, 4.0, 2.0, 1.0])
        >>> x[ops.argpartition(x, 1)][1].item()
        2.0
    """
    x = convert(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"ops.argpartition: axis={axis} is out of range for an input of rank {x.ndim}.")
    length = x.shape[axis]
    for k in [kth] if isinstance(kth, int) else list(kth):
        if not isinstance(k, int) or not -length <= k < length:
            raise ValueError(f"ops.argpartition: kth must be ints in [-{length}, {length}) for an axis of size "
                             f"{length}; received kth={kth!r}.")  # fmt: skip
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)
