"""Reductions that skip NaNs (``keras.ops.nansum``, ``nanmean``, ``nanargmax`` ...).

Each one is its plain reduction over the values that are not NaN. ``axis`` and
``keepdims`` and the result dtypes follow the plain reductions, as in Keras: sums and
products of small ints are int32, means, variances and quantiles of ints are floats,
and arg-reductions are int32. Where every value on an axis is NaN, ``nanmax``,
``nanmin``, ``nanmean``, ``nanvar``, ``nanstd`` and the quantiles give NaN, ``nansum``
0, ``nanprod`` 1, and ``nanargmax`` / ``nanargmin`` -1 (Keras' choice; NumPy raises).

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> x = torch.tensor([[1.0, float("nan"), 3.0], [float("nan"), 2.0, 0.0]])
    >>> ops.nansum(x, axis=1).tolist(), ops.nanargmax(x, axis=1).tolist()
    ([4.0, 2.0], [2, 1])
"""

from __future__ import annotations

from typing import Any

import torch

from fitorch.ops.dtypes import convert
from fitorch.ops.numpy_reduce import Axis, _dims, _floats, argmax, argmin, cumprod, cumsum, prod, quantiles, sum
from fitorch.ops.registry import keras_op


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


@keras_op()
def nanargmax(x: Any, axis: int | None = None, keepdims: bool = False) -> torch.Tensor:
    """The index of the largest non-NaN value along ``axis`` (-1 where all are NaN), as int32.

    Args:
        x: the input tensor.
        axis: the axis to search; ``None`` (default) searches the flattened ``x``.
        keepdims: keep the reduced axis with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nanargmax(torch.tensor([1.0, float("nan"), 3.0]))
        tensor(2, dtype=torch.int32)
    """
    return _nan_arg(x, axis, keepdims, argmax.__wrapped__, float("-inf"))


@keras_op()
def nanargmin(x: Any, axis: int | None = None, keepdims: bool = False) -> torch.Tensor:
    """The index of the smallest non-NaN value along ``axis`` (-1 where all are NaN), as int32.

    Args:
        x: the input tensor.
        axis: the axis to search; ``None`` (default) searches the flattened ``x``.
        keepdims: keep the reduced axis with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nanargmin(torch.tensor([[float("nan"), 2.0], [float("nan")] * 2]), axis=1)
        tensor([ 1, -1], dtype=torch.int32)
    """
    return _nan_arg(x, axis, keepdims, argmin.__wrapped__, float("inf"))


def _nan_as(x: Any, value: float) -> torch.Tensor:
    """``x`` with its NaNs replaced by ``value`` (infinities kept, unlike ``torch.nan_to_num``)."""
    x = convert(x)
    return torch.where(torch.isnan(x), value, x) if x.is_floating_point() else x


@keras_op()
def nancumsum(x: Any, axis: int | None = None, dtype: Any = None) -> torch.Tensor:
    """The running sum along ``axis`` with NaNs counted as 0 (of the flattened ``x`` when ``axis`` is ``None``).

    Args:
        x: the input tensor.
        axis: the axis to sum along; ``None`` (default) flattens ``x`` first.
        dtype: the result dtype; by default ``x``'s (int32 for bools and small ints).

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nancumsum(torch.tensor([1.0, float("nan"), 3.0])).tolist()
        [1.0, 1.0, 4.0]
    """
    return cumsum.__wrapped__(_nan_as(x, 0.0), axis, dtype)


@keras_op()
def nancumprod(x: Any, axis: int | None = None, dtype: Any = None) -> torch.Tensor:
    """The running product along ``axis`` with NaNs counted as 1 (of the flattened ``x`` when ``axis`` is ``None``).

    Args:
        x: the input tensor.
        axis: the axis to multiply along; ``None`` (default) flattens ``x`` first.
        dtype: the result dtype; by default ``x``'s (int32 for bools and small ints).

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nancumprod(torch.tensor([2.0, float("nan"), 3.0])).tolist()
        [2.0, 2.0, 6.0]
    """
    return cumprod.__wrapped__(_nan_as(x, 1.0), axis, dtype)


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


@keras_op()
def nanmax(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The largest non-NaN value over ``axis`` (NaN where all are NaN).

    Args:
        x: the input tensor.
        axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nanmax(torch.tensor([[1.0, float("nan")], [float("nan")] * 2]), axis=1).tolist()
        [1.0, nan]
    """
    return _nan_extreme(x, axis, keepdims, torch.amax, float("-inf"))


@keras_op()
def nanmin(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The smallest non-NaN value over ``axis`` (NaN where all are NaN).

    Args:
        x: the input tensor.
        axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nanmin(torch.tensor([3.0, float("nan"), 2.0])).item()
        2.0
    """
    return _nan_extreme(x, axis, keepdims, torch.amin, float("inf"))


@keras_op()
def nansum(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The sum over ``axis`` of the non-NaN values (int32 for bools and small ints).

    Args:
        x: the input tensor.
        axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nansum(torch.tensor([1.0, float("nan"), 3.0])).item()
        4.0
    """
    return sum.__wrapped__(_nan_as(x, 0.0), axis, keepdims)


@keras_op()
def nanprod(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The product over ``axis`` of the non-NaN values (int32 for bools and small ints).

    Args:
        x: the input tensor.
        axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nanprod(torch.tensor([2.0, float("nan"), 3.0])).item()
        6.0
    """
    x = _nan_as(x, 1.0)
    return x if _dims(axis) == () else prod.__wrapped__(x, axis, keepdims)


@keras_op()
def nanmean(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The mean over ``axis`` of the non-NaN values (floats for int inputs; NaN where all are NaN).

    Args:
        x: the input tensor.
        axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nanmean(torch.tensor([1.0, float("nan"), 3.0])).item()
        2.0
    """
    x, _ = _floats(x)
    dims = _dims(axis)
    return x if dims == () else torch.nanmean(x, dim=dims, keepdim=keepdims)


@keras_op()
def nanvar(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The (population) variance over ``axis`` of the non-NaN values (NaN where all are NaN).

    Args:
        x: the input tensor.
        axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nanvar(torch.tensor([1.0, float("nan"), 3.0])).item()
        1.0
    """
    x, _ = _floats(x)
    dims = _dims(axis)
    valid = ~torch.isnan(x)
    if dims == ():
        return torch.where(valid, 0.0, x)
    centered = torch.where(valid, x - torch.nanmean(x, dim=dims, keepdim=True), 0.0)
    count = valid.sum(dim=dims, keepdim=keepdims)
    return (centered * centered).sum(dim=dims, keepdim=keepdims) / count


@keras_op()
def nanstd(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The (population) standard deviation over ``axis`` of the non-NaN values (NaN where all are NaN).

    Args:
        x: the input tensor.
        axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nanstd(torch.tensor([1.0, float("nan"), 3.0])).item()
        1.0
    """
    return torch.sqrt(nanvar.__wrapped__(x, axis, keepdims))


@keras_op()
def nanquantile(x: Any, q: Any, axis: Axis = None, method: str = "linear", keepdims: bool = False) -> torch.Tensor:
    """The ``q``-th quantiles (``q`` in ``[0, 1]``) over ``axis`` of the non-NaN values.

    Args:
        x: the input tensor.
        q: a quantile or a 1D tensor of them; a 1D ``q`` adds a leading axis to the result.
        axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        method: ``'linear'`` (default), ``'lower'``, ``'higher'``, ``'midpoint'`` or ``'nearest'``.
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nanquantile(torch.tensor([1.0, float("nan"), 3.0, 4.0]), 0.5).item()
        3.0
    """
    return quantiles(x, q, axis, method, keepdims, torch.nanquantile, "nanquantile")


@keras_op()
def nanpercentile(x: Any, q: Any, axis: Axis = None, method: str = "linear", keepdims: bool = False) -> torch.Tensor:
    """The ``q``-th percentiles (``q`` in ``[0, 100]``) over ``axis`` of the non-NaN values.

    Args:
        x: the input tensor.
        q: a percentile or a 1D tensor of them; a 1D ``q`` adds a leading axis to the result.
        axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        method: ``'linear'`` (default), ``'lower'``, ``'higher'``, ``'midpoint'`` or ``'nearest'``.
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nanpercentile(torch.tensor([1.0, float("nan"), 3.0]), 50.0).item()
        2.0
    """
    x = convert(x)
    return nanquantile.__wrapped__(x, convert(q, torch.float64, like=x) / 100, axis, method, keepdims)


@keras_op()
def nanmedian(x: Any, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """The median over ``axis`` of the non-NaN values (the mean of the two middle values for even counts).

    Args:
        x: the input tensor.
        axis: an int, a tuple of ints, or ``None`` (default) for all axes.
        keepdims: keep the reduced axes with size 1.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.nanmedian(torch.tensor([1.0, float("nan"), 3.0, 4.0])).item()
        3.0
    """
    x = convert(x)
    return x if _dims(axis) == () else nanquantile.__wrapped__(x, 0.5, axis, "linear", keepdims)
