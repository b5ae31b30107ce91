"""NumPy-style reductions, statistics, sorting and indexing (``keras.ops.numpy``).

``axis`` is an int, a tuple of ints or ``None`` (all axes); ``keepdims`` keeps the
reduced axes with size 1. Means and variances of ints are floats, sums of small ints
are int32, as in Keras.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> x = torch.tensor([[1.0, 5.0], [3.0, 2.0]])
    >>> ops.sum(x, axis=1).tolist(), ops.argmax(x, axis=-1).tolist()
    ([6.0, 5.0], [1, 0])
    >>> ops.mean(x, axis=(0, 1), keepdims=True).shape
    torch.Size([1, 1])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch import config
from fitorch.ops.dtypes import convert, is_int, to_float, to_torch_dtype
from fitorch.ops.registry import generated_op, keras_op

Axis = int | Sequence[int] | None
_SMALL_INTS = (torch.bool, torch.uint8, torch.int8, torch.int16)


def _dims(axis: Axis) -> tuple[int, ...] | None:
    if axis is None:
        return None
    return (int(axis),) if isinstance(axis, int) else tuple(int(a) for a in axis)


def _floats(x: Any) -> tuple[torch.Tensor, torch.dtype]:
    """``x`` as a tensor to reduce in float, and the result dtype Keras gives."""
    x = convert(x)
    if is_int(x.dtype):
        return x.to(config.floatx_dtype()), config.floatx_dtype()
    return x, x.dtype


def _keep(result: torch.Tensor, x: torch.Tensor, axis: Axis, keepdims: bool) -> torch.Tensor:
    """Re-inserts reduced axes for reductions torch only does one axis at a time."""
    if not keepdims:
        return result
    dims = range(x.ndim) if axis is None else [a % x.ndim for a in _dims(axis)]
    for d in sorted(dims):
        result = result.unsqueeze(d)
    return result


@keras_op()
def sum(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001
    """The sum over ``axis``."""
    x = convert(x)
    dtype = torch.int32 if x.dtype in _SMALL_INTS else x.dtype
    if _dims(axis) == ():
        return x.to(dtype)
    return torch.sum(x, dim=_dims(axis), keepdim=keepdims).to(dtype)


@keras_op()
def prod(x: Any, axis: Axis = None, keepdims: bool = False, dtype: Any = None) -> torch.Tensor:
    """The product over ``axis``."""
    x = convert(x)
    out_dtype = to_torch_dtype(dtype) if dtype is not None else (torch.int32 if x.dtype in _SMALL_INTS else x.dtype)
    if axis is None:
        return _keep(torch.prod(x), x, None, keepdims).to(out_dtype)
    result = x
    for d in sorted((a % x.ndim for a in _dims(axis)), reverse=True):
        result = torch.prod(result, dim=d, keepdim=keepdims)
    return result.to(out_dtype)


@keras_op()
def mean(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The mean over ``axis`` (floats for int inputs)."""
    x, dtype = _floats(x)
    if _dims(axis) == ():
        return x
    return torch.mean(x, dim=_dims(axis), keepdim=keepdims).to(dtype)


@keras_op()
def var(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The (population) variance over ``axis``."""
    x, dtype = _floats(x)
    return torch.var(x, dim=_dims(axis), correction=0, keepdim=keepdims).to(dtype)


@keras_op()
def std(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The (population) standard deviation over ``axis``."""
    x, dtype = _floats(x)
    return torch.std(x, dim=_dims(axis), correction=0, keepdim=keepdims).to(dtype)


def _extreme(x: Any, axis: Axis, keepdims: bool, initial: Any, function: Any, combine: Any, op: str) -> torch.Tensor:
    x = convert(x)
    if x.numel() == 0 and initial is None:
        raise ValueError(f"ops.{op}: cannot reduce an empty tensor (shape {tuple(x.shape)}) without initial=.")
    result = function(x) if axis is None else function(x, dim=_dims(axis), keepdim=keepdims)
    result = _keep(result, x, axis, keepdims) if axis is None else result
    if initial is not None:
        result = combine(result, torch.as_tensor(initial, dtype=result.dtype, device=result.device))
    return result


@keras_op()
def max(x: Any, axis: Axis = None, keepdims: bool = False, initial: Any = None) -> torch.Tensor:  # noqa: A001
    """The maximum over ``axis`` (at least ``initial`` when given)."""
    return _extreme(x, axis, keepdims, initial, torch.amax, torch.maximum, "max")


@keras_op()
def min(x: Any, axis: Axis = None, keepdims: bool = False, initial: Any = None) -> torch.Tensor:  # noqa: A001
    """The minimum over ``axis`` (at most ``initial`` when given)."""
    return _extreme(x, axis, keepdims, initial, torch.amin, torch.minimum, "min")


@keras_op()
def amax(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The maximum over ``axis``."""
    return _extreme(x, axis, keepdims, None, torch.amax, None, "amax")


@keras_op()
def amin(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The minimum over ``axis``."""
    return _extreme(x, axis, keepdims, None, torch.amin, None, "amin")


@keras_op()
def ptp(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """``max - min`` over ``axis``."""
    return amax.__wrapped__(x, axis, keepdims) - amin.__wrapped__(x, axis, keepdims)


@keras_op()
def all(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001
    """True where every element over ``axis`` is true."""
    x = convert(x)
    return x.to(torch.bool) if _dims(axis) == () else torch.all(x.to(torch.bool), dim=_dims(axis), keepdim=keepdims)


@keras_op()
def any(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001
    """True where some element over ``axis`` is true."""
    x = convert(x)
    return x.to(torch.bool) if _dims(axis) == () else torch.any(x.to(torch.bool), dim=_dims(axis), keepdim=keepdims)


@keras_op()
def count_nonzero(x: Any, axis: Axis = None) -> torch.Tensor:
    """The number of non-zero elements over ``axis`` (int32)."""
    return torch.count_nonzero(convert(x), dim=_dims(axis)).to(torch.int32)


def _arg_op(name: str, function: Any, doc: str) -> Any:
    """The op ``name``: torch's ``function`` (``argmax`` or ``argmin``), bools as ints, giving int32 indices."""

    def op(x: Any, axis: int | None = None, keepdims: bool = False) -> torch.Tensor:
        x = convert(x)
        if x.dtype == torch.bool:
            x = x.to(torch.int32)
        if axis is None:
            result = function(x.reshape(-1), dim=0)
            return result.reshape((1,) * x.ndim).to(torch.int32) if keepdims else result.to(torch.int32)
        return function(x, dim=axis, keepdim=keepdims).to(torch.int32)

    return generated_op(name, op, doc)


argmax = _arg_op(
    "argmax", torch.argmax, "The index of the maximum along ``axis`` (of the flattened ``x`` when ``None``), as int32."
)
argmin = _arg_op("argmin", torch.argmin, "The index of the minimum along ``axis``, as int32.")


def _cumulative_op(name: str, function: Any, doc: str) -> Any:
    """The op ``name``: torch's ``function`` (``cumsum`` or ``cumprod``) with Keras' dtypes (int32 for small ints)."""

    def op(x: Any, axis: int | None = None, dtype: Any = None) -> torch.Tensor:
        x = convert(x)
        out_dtype = to_torch_dtype(dtype) if dtype is not None else (torch.int32 if x.dtype in _SMALL_INTS else x.dtype)
        if axis is None:
            x, axis = x.reshape(-1), 0
        return function(x, dim=axis).to(out_dtype)

    return generated_op(name, op, doc)


cumsum = _cumulative_op(
    "cumsum", torch.cumsum, "The running sum along ``axis`` (of the flattened ``x`` when ``None``)."
)
cumprod = _cumulative_op("cumprod", torch.cumprod, "The running product along ``axis``.")


@keras_op()
def logsumexp(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """``log(sum(exp(x)))`` over ``axis``, computed stably."""
    x, _ = _floats(x)
    dims = _dims(axis) if axis is not None else tuple(range(x.ndim))
    return torch.logsumexp(x, dim=dims, keepdim=keepdims)


@keras_op()
def average(x: Any, axis: int | None = None, weights: Any = None) -> torch.Tensor:
    """The (weighted) mean along ``axis``; 1D ``weights`` apply along ``axis``."""
    x, _ = _floats(x)
    if weights is None:
        return torch.mean(x, dim=axis)
    w = to_float(convert(weights, like=x))
    if w.ndim == 1 and x.ndim > 1 and axis is not None:
        w = w.reshape([-1 if d == axis % x.ndim else 1 for d in range(x.ndim)])
    w = torch.broadcast_to(w, x.shape).to(torch.promote_types(x.dtype, w.dtype))
    return torch.sum(x * w, dim=axis) / torch.sum(w, dim=axis)


@keras_op()
def median(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The median over ``axis`` (the mean of the two middle values for even sizes)."""
    return quantile.__wrapped__(x, 0.5, axis=axis, keepdims=keepdims)


_QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


@keras_op()
def quantile(x: Any, q: Any, axis: Axis = None, method: str = "linear", keepdims: bool = False) -> torch.Tensor:
    """The ``q``-th quantiles (``q`` in ``[0, 1]``) over ``axis``."""
    return quantiles(x, q, axis, method, keepdims, torch.quantile, "quantile")


def quantiles(x: Any, q: Any, axis: Axis, method: str, keepdims: bool, function: Any, op: str) -> torch.Tensor:
    """``function`` (``torch.quantile`` or ``torch.nanquantile``) over several axes, with Keras' dtypes."""
    if method not in _QUANTILE_METHODS:
        raise ValueError(f"ops.{op}: method must be one of {_QUANTILE_METHODS}; received {method!r}.")
    x, dtype = _floats(x)
    if x.dtype in (torch.float16, torch.bfloat16):
        x = x.float()  # torch's quantiles take float32 and float64 only
    q_t = convert(q, x.dtype, like=x)
    dims = _dims(axis)
    if dims is None:
        flat, dim = x.reshape(-1), 0
    else:
        dims = tuple(d % x.ndim for d in dims)
        rest = [d for d in range(x.ndim) if d not in dims]
        flat = x.permute(*rest, *dims).reshape(*[x.shape[d] for d in rest], -1)
        dim = -1
    result = function(flat, q_t, dim=dim, interpolation=method)
    if keepdims:
        for d in sorted(range(x.ndim) if dims is None else dims):
            result = result.unsqueeze(d + (1 if q_t.ndim else 0))
    return result.to(dtype)


@keras_op()
def percentile(x: Any, q: Any, axis: Axis = None, method: str = "linear", keepdims: bool = False) -> torch.Tensor:
    """The ``q``-th percentiles (``q`` in ``[0, 100]``) over ``axis``."""
    return quantile.__wrapped__(x, convert(q, torch.float64) / 100, axis, method, keepdims)


@keras_op()
def sort(x: Any, axis: int = -1) -> torch.Tensor:
    """``x`` sorted along ``axis``."""
    return torch.sort(convert(x), dim=axis).values


@keras_op()
def argsort(x: Any, axis: int = -1) -> torch.Tensor:
    """The indices that sort ``x`` along ``axis`` (a stable sort), as int32."""
    x = convert(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


@keras_op()
def diff(a: Any, n: int = 1, axis: int = -1) -> torch.Tensor:
    """The ``n``-th discrete difference along ``axis``."""
    return torch.diff(convert(a), n=n, dim=axis)


@keras_op()
def searchsorted(sorted_sequence: Any, values: Any, side: str = "left") -> torch.Tensor:
    """Where ``values`` would be inserted into the 1D ``sorted_sequence`` to keep it sorted (int32)."""
    if side not in ("left", "right"):
        raise ValueError(f"ops.searchsorted: side must be 'left' or 'right'; received {side!r}.")
    sequence = convert(sorted_sequence)
    values_t = convert(values, like=sequence)
    dtype = torch.promote_types(sequence.dtype, values_t.dtype)
    return torch.searchsorted(sequence.to(dtype), values_t.to(dtype), side=side).to(torch.int32)


@keras_op()
def digitize(x: Any, bins: Any) -> torch.Tensor:
    """The index of the bin of each value of ``x`` (int32)."""
    x = convert(x)
    bins_t = convert(bins, like=x)
    dtype = torch.promote_types(x.dtype, bins_t.dtype)
    return torch.bucketize(x.to(dtype), bins_t.to(dtype), right=True).to(torch.int32)


@keras_op()
def trapezoid(y: Any, x: Any = None, dx: float = 1.0, axis: int = -1) -> torch.Tensor:
    """The integral of ``y`` along ``axis`` by the trapezoidal rule."""
    y, _ = _floats(y)
    if x is None:
        return torch.trapezoid(y, dx=dx, dim=axis)
    return torch.trapezoid(y, to_float(convert(x, like=y)), dim=axis)


def _indices_along(x: Any, indices: Any, axis: int | None) -> tuple[torch.Tensor, torch.Tensor, int]:
    """``x`` (flattened when ``axis`` is ``None``), its int64 ``indices`` with negatives wrapped, and ``axis`` >= 0."""
    x = convert(x)
    indices = convert(indices, like=x).long()
    if axis is None:
        x, axis = x.reshape(-1), 0
    size = x.shape[axis]
    return x, torch.where(indices < 0, indices + size, indices), axis % x.ndim


@keras_op()
def take(x: Any, indices: Any, axis: int | None = None) -> torch.Tensor:
    """Elements of ``x`` at ``indices`` along ``axis`` (of the flattened ``x`` when ``None``); negative indices wrap."""
    x, indices, axis = _indices_along(x, indices, axis)
    result = torch.index_select(x, axis, indices.reshape(-1))
    return result.reshape(*x.shape[:axis], *indices.shape, *x.shape[axis + 1 :])


@keras_op()
def take_along_axis(x: Any, indices: Any, axis: int | None = None) -> torch.Tensor:
    """Values of ``x`` at ``indices`` along ``axis`` (the shapes broadcast, except along ``axis``)."""
    x, indices, axis = _indices_along(x, indices, axis)
    shape = list(torch.broadcast_shapes(x.shape[:axis] + (1,) + x.shape[axis + 1 :],
                                        indices.shape[:axis] + (1,) + indices.shape[axis + 1 :]))  # fmt: skip
    x = x.expand(*shape[:axis], x.shape[axis], *shape[axis + 1 :])
    indices = indices.expand(*shape[:axis], indices.shape[axis], *shape[axis + 1 :])
    return torch.gather(x, axis, indices)


@keras_op()
def nonzero(x: Any) -> tuple[torch.Tensor, ...]:
    """The indices of the non-zero elements, one int32 tensor per axis (eager only)."""
    return tuple(i.to(torch.int32) for i in torch.nonzero(convert(x), as_tuple=True))


@keras_op()
def bincount(x: Any, weights: Any = None, minlength: int = 0, sparse: bool = False) -> torch.Tensor:
    """Counts of each value of a non-negative int ``x`` (1D, or 2D counted per row)."""
    if sparse:
        raise ValueError("ops.bincount: sparse=True is not supported by fitorch (torch has no sparse outputs here).")
    x = convert(x)
    w = None if weights is None else convert(weights, like=x)
    if x.ndim == 1:
        return torch.bincount(x, w, minlength).to(torch.int32 if w is None else w.dtype)
    length = builtins_max(int(x.max()) + 1 if x.numel() else 0, minlength)
    rows = [torch.bincount(r, None if w is None else w[i], length) for i, r in enumerate(x)]
    return torch.stack(rows).to(torch.int32 if w is None else w.dtype)


def builtins_max(a: int, b: int) -> int:
    return a if a > b else b


@keras_op()
def unravel_index(indices: Any, shape: Sequence[int]) -> tuple[torch.Tensor, ...]:
    """Flat indices as a tuple of coordinates into ``shape``."""
    indices = convert(indices)
    dtype = torch.int32 if indices.dtype == torch.int64 else indices.dtype
    return tuple(i.to(dtype) for i in torch.unravel_index(indices, tuple(shape)))
