"""Reductions that skip NaNs (``keras.ops.nansum``, ``nanmean``, ``nanargmax`` ...).

Each one is its plain reduction over the values that are not NaN. ``axis`` and
``keepdims`` and the result dtypes follow the plain reductions, as in Keras: sums and
products of small ints are int32, means, variances and quantiles of ints are floats,
and arg-reductions are int32. Where every value on an axis is NaN, ``nanmax``,
``nanmin``, ``nanmean``, ``nanvar``, ``nanstd`` and the quantiles give NaN, ``nansum``
0, ``nanprod`` 1, and ``nanargmax`` / ``nanargmin`` -1 (Keras' choice; NumPy raises).

The ops come in four shapes (arg-reductions, running reductions, reductions and
quantiles); one factory per shape writes the signature and the docstring, and the
tables at the end of the file give each op its computation and example.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> x = torch.tensor([[1.0, float("nan"), 3.0], [float("nan"), 2.0, 0.0]])
    >>> ops.nansum(x, axis=1).tolist(), ops.nanargmax(x, axis=1).tolist()
    ([4.0, 2.0], [2, 1])
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import torch

from fitorch.ops.dtypes import convert
from fitorch.ops.numpy_reduce import Axis, _dims, _floats, argmax, argmin, cumprod, cumsum, prod, quantiles, sum
from fitorch.ops.registry import generated_op

Op = Callable[..., torch.Tensor]

_DOC = """{summary}

    Args:
        x: the input tensor.
        {args}

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> {call}
        {output}
    """
_AXES_ARGS = """axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        keepdims: keep the reduced axes with size 1."""
_QUANTILE_ARGS = """q: a {kind} or a 1D tensor of them; a 1D ``q`` adds a leading axis to the result.
        axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        method: ``'linear'`` (default), ``'lower'``, ``'higher'``, ``'midpoint'`` or ``'nearest'``.
        keepdims: keep the reduced axes with size 1."""


def _register(op: Op, name: str, summary: str, args: str, example: tuple[str, str]) -> Op:
    """Registers ``op`` as ``name``; its docstring: ``summary``, ``args`` (the lines after ``x``), ``example``."""
    return generated_op(name, op, _DOC.format(summary=summary, args=args, call=example[0], output=example[1]))


# ---------------------------------------------------------------------- computations
def _nan_as(x: Any, value: float) -> torch.Tensor:
    """``x`` with its NaNs replaced by ``value`` (infinities kept, unlike ``torch.nan_to_num``)."""
    x = convert(x)
    return torch.where(torch.isnan(x), value, x) if x.is_floating_point() else x


def _nan_arg(x: Any, axis: int | None, keepdims: bool, arg: Any, fill: float) -> torch.Tensor:
    x = convert(x)
    if not x.is_floating_point():
        return arg(x, axis, keepdims)
    nan = torch.isnan(x)
    index = arg(torch.where(nan, fill, x), axis, keepdims)
    if axis is None:
        all_nan = nan.all().reshape(index.shape)
    else:
        all_nan = nan.all(dim=axis, keepdim=keepdims)
    return torch.where(all_nan, -1, index)


def _nan_extreme(x: Any, axis: Axis, keepdims: bool, reduce: Any, fill: float) -> torch.Tensor:
    x = convert(x)
    dims = _dims(axis)
    if dims == ():
        return x
    if not x.is_floating_point():
        return reduce(x) if dims is None and not keepdims else reduce(x, dim=dims or (), keepdim=keepdims)
    nan = torch.isnan(x)
    dim = () if dims is None else dims
    result = reduce(torch.where(nan, fill, x), dim=dim, keepdim=keepdims)
    return torch.where(
        nan.all(dim=dim, keepdim=keepdims) if dims else nan.all().reshape(result.shape), torch.nan, result
    )


def _nanprod(x: Any, axis: Axis, keepdims: bool) -> torch.Tensor:
    x = _nan_as(x, 1.0)
    return x if _dims(axis) == () else prod.__wrapped__(x, axis, keepdims)


def _nanmean(x: Any, axis: Axis, keepdims: bool) -> torch.Tensor:
    x, _ = _floats(x)
    dims = _dims(axis)
    return x if dims == () else torch.nanmean(x, dim=dims, keepdim=keepdims)


def _nanvar(x: Any, axis: Axis, keepdims: bool) -> torch.Tensor:
    x, _ = _floats(x)
    dims = _dims(axis)
    valid = ~torch.isnan(x)
    if dims == ():
        return torch.where(valid, 0.0, x)
    centered = torch.where(valid, x - torch.nanmean(x, dim=dims, keepdim=True), 0.0)
    count = valid.sum(dim=dims, keepdim=keepdims)
    return (centered * centered).sum(dim=dims, keepdim=keepdims) / count


def _nanquantile(x: Any, q: Any, axis: Axis, method: str, keepdims: bool) -> torch.Tensor:
    return quantiles(x, q, axis, method, keepdims, torch.nanquantile, "nanquantile")


def _nanpercentile(x: Any, q: Any, axis: Axis, method: str, keepdims: bool) -> torch.Tensor:
    x = convert(x)
    return _nanquantile(x, convert(q, torch.float64, like=x) / 100, axis, method, keepdims)


def _nanmedian(x: Any, axis: Axis, keepdims: bool) -> torch.Tensor:
    x = convert(x)
    return x if _dims(axis) == () else _nanquantile(x, 0.5, axis, "linear", keepdims)


# ---------------------------------------------------------------------- the four shapes of op
def _arg_reduction(name: str, arg: Op, fill: float, summary: str, example: tuple[str, str]) -> Op:
    def op(x: Any, axis: int | None = None, keepdims: bool = False) -> torch.Tensor:
        return _nan_arg(x, axis, keepdims, arg.__wrapped__, fill)

    args = """axis: the axis to search; ``None`` (default) searches the flattened ``x``.
        keepdims: keep the reduced axis with size 1."""
    return _register(op, name, f"{summary} (-1 where all are NaN), as int32.", args, example)


def _running(name: str, running: Op, neutral: float, what: str, example: tuple[str, str]) -> Op:
    def op(x: Any, axis: int | None = None, dtype: Any = None) -> torch.Tensor:
        return running.__wrapped__(_nan_as(x, neutral), axis, dtype)

    args = f"""axis: the axis of the running {what}; ``None`` (default) flattens ``x`` first.
        dtype: the result dtype; by default ``x``'s (int32 for bools and small ints)."""
    summary = f"The running {what} along ``axis`` with NaNs counted as {neutral:g}"
    summary += " (of the flattened ``x`` when ``axis`` is ``None``)."
    return _register(op, name, summary, args, example)


def _reduction(name: str, reduce: Op, summary: str, example: tuple[str, str]) -> Op:
    def op(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
        return reduce(x, axis, keepdims)

    return _register(op, name, summary, _AXES_ARGS, example)


def _quantile(name: str, quantile: Op, kind: str, summary: str, example: tuple[str, str]) -> Op:
    def op(x: Any, q: Any, axis: Axis = None, method: str = "linear", keepdims: bool = False) -> torch.Tensor:
        return quantile(x, q, axis, method, keepdims)

    return _register(op, name, summary, _QUANTILE_ARGS.format(kind=kind), example)


nanargmax = _arg_reduction(
    "nanargmax", argmax, float("-inf"), "The index of the largest non-NaN value along ``axis``",
    ('ops.nanargmax(torch.tensor([1.0, float("nan"), 3.0]))', "tensor(2, dtype=torch.int32)"),
)  # fmt: skip
nanargmin = _arg_reduction(
    "nanargmin", argmin, float("inf"), "The index of the smallest non-NaN value along ``axis``",
    ('ops.nanargmin(torch.tensor([[float("nan"), 2.0], [float("nan")] * 2]), axis=1)',
     "tensor([ 1, -1], dtype=torch.int32)"),
)  # fmt: skip

nancumsum = _running(
    "nancumsum", cumsum, 0.0, "sum",
    ('ops.nancumsum(torch.tensor([1.0, float("nan"), 3.0])).tolist()', "[1.0, 1.0, 4.0]"),
)  # fmt: skip
nancumprod = _running(
    "nancumprod", cumprod, 1.0, "product",
    ('ops.nancumprod(torch.tensor([2.0, float("nan"), 3.0])).tolist()', "[2.0, 2.0, 6.0]"),
)  # fmt: skip

nanmax = _reduction(
    "nanmax", functools.partial(_nan_extreme, reduce=torch.amax, fill=float("-inf")),
    "The largest non-NaN value over ``axis`` (NaN where all are NaN).",
    ('ops.nanmax(torch.tensor([[1.0, float("nan")], [float("nan")] * 2]), axis=1).tolist()', "[1.0, nan]"),
)  # fmt: skip
nanmin = _reduction(
    "nanmin", functools.partial(_nan_extreme, reduce=torch.amin, fill=float("inf")),
    "The smallest non-NaN value over ``axis`` (NaN where all are NaN).",
    ('ops.nanmin(torch.tensor([3.0, float("nan"), 2.0])).item()', "2.0"),
)  # fmt: skip
nansum = _reduction(
    "nansum", lambda x, axis, keepdims: sum.__wrapped__(_nan_as(x, 0.0), axis, keepdims),
    "The sum over ``axis`` of the non-NaN values (int32 for bools and small ints).",
    ('ops.nansum(torch.tensor([1.0, float("nan"), 3.0])).item()', "4.0"),
)  # fmt: skip
nanprod = _reduction(
    "nanprod", _nanprod, "The product over ``axis`` of the non-NaN values (int32 for bools and small ints).",
    ('ops.nanprod(torch.tensor([2.0, float("nan"), 3.0])).item()', "6.0"),
)  # fmt: skip
nanmean = _reduction(
    "nanmean", _nanmean, "The mean over ``axis`` of the non-NaN values (floats for int inputs; NaN where all are NaN).",
    ('ops.nanmean(torch.tensor([1.0, float("nan"), 3.0])).item()', "2.0"),
)  # fmt: skip
nanvar = _reduction(
    "nanvar", _nanvar, "The (population) variance over ``axis`` of the non-NaN values (NaN where all are NaN).",
    ('ops.nanvar(torch.tensor([1.0, float("nan"), 3.0])).item()', "1.0"),
)  # fmt: skip
nanstd = _reduction(
    "nanstd", lambda x, axis, keepdims: torch.sqrt(_nanvar(x, axis, keepdims)),
    "The (population) standard deviation over ``axis`` of the non-NaN values (NaN where all are NaN).",
    ('ops.nanstd(torch.tensor([1.0, float("nan"), 3.0])).item()', "1.0"),
)  # fmt: skip
nanmedian = _reduction(
    "nanmedian", _nanmedian,
    "The median over ``axis`` of the non-NaN values (the mean of the two middle values for even counts).",
    ('ops.nanmedian(torch.tensor([1.0, float("nan"), 3.0, 4.0])).item()', "3.0"),
)  # fmt: skip

nanquantile = _quantile(
    "nanquantile", _nanquantile, "quantile",
    "The ``q``-th quantiles (``q`` in ``[0, 1]``) over ``axis`` of the non-NaN values.",
    ('ops.nanquantile(torch.tensor([1.0, float("nan"), 3.0, 4.0]), 0.5).item()', "3.0"),
)  # fmt: skip
nanpercentile = _quantile(
    "nanpercentile", _nanpercentile, "percentile",
    "The ``q``-th percentiles (``q`` in ``[0, 100]``) over ``axis`` of the non-NaN values.",
    ('ops.nanpercentile(torch.tensor([1.0, float("nan"), 3.0]), 50.0).item()', "2.0"),
)  # fmt: skip
