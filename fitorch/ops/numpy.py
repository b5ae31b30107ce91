"""NumPy-style creation and shape ops (``keras.ops.numpy``), as thin mappings onto torch.

Arguments are Keras': ``axis`` (int, tuple or ``None``), ``keepdims``, ``dtype`` names.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> ops.reshape(ops.arange(6), (2, -1)).tolist()
    [[0, 1, 2], [3, 4, 5]]
    >>> ops.concatenate([torch.ones(1, 2), torch.zeros(1, 2)], axis=0).shape
    torch.Size([2, 2])
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.devices import scoped_device
from fitorch.ops.dtypes import convert, to_torch_dtype
from fitorch.ops.registry import generated_op, keras_op

Axis = int | Sequence[int] | None


def _dtype(dtype: Any, default: torch.dtype | None = None) -> torch.dtype:
    return to_torch_dtype(dtype) if dtype is not None else (default or config.floatx_dtype())


def _shape(shape: Any, op: str) -> tuple[int, ...]:
    if isinstance(shape, int):
        return (shape,)
    try:
        return tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise TypeError(f"ops.{op}: shape must be an int or a sequence of ints; received {shape!r}.") from None


def _axes(axis: Axis) -> tuple[int, ...] | None:
    return (axis,) if isinstance(axis, int) else (None if axis is None else tuple(axis))


# ---------------------------------------------------------------------- creation
@keras_op()
def arange(start: Any, stop: Any = None, step: Any = None, dtype: Any = None) -> torch.Tensor:
    """Evenly spaced values in ``[start, stop)``; ints give int32, floats give floatx, as in Keras."""
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    if dtype is None:
        floats = any(isinstance(v, float) or (isinstance(v, torch.Tensor) and v.is_floating_point())
                     for v in (start, stop, step))  # fmt: skip
        dtype = config.floatx_dtype() if floats else torch.int32
    return torch.arange(start, stop, step, dtype=to_torch_dtype(dtype), device=scoped_device())


@keras_op()
def array(x: Any, dtype: Any = None) -> torch.Tensor:
    """``x`` as a tensor (Keras' conversion rules)."""
    return convert(x, dtype)


@keras_op()
def zeros(shape: Any, dtype: Any = None) -> torch.Tensor:
    """A tensor of zeros of ``shape`` (default dtype floatx)."""
    return torch.zeros(_shape(shape, "zeros"), dtype=_dtype(dtype), device=scoped_device())


@keras_op()
def ones(shape: Any, dtype: Any = None) -> torch.Tensor:
    """A tensor of ones of ``shape`` (default dtype floatx)."""
    return torch.ones(_shape(shape, "ones"), dtype=_dtype(dtype), device=scoped_device())


@keras_op()
def empty(shape: Any, dtype: Any = None) -> torch.Tensor:
    """An uninitialised tensor of ``shape`` (Keras fills it with zeros; so does fitorch)."""
    return torch.zeros(_shape(shape, "empty"), dtype=_dtype(dtype), device=scoped_device())


@keras_op()
def full(shape: Any, fill_value: Any, dtype: Any = None) -> torch.Tensor:
    """A tensor of ``shape`` filled with ``fill_value`` (dtype floatx unless given, as in Keras)."""
    return convert(fill_value, _dtype(dtype)).expand(_shape(shape, "full")).clone()


@keras_op()
def zeros_like(x: Any, dtype: Any = None) -> torch.Tensor:
    """Zeros with the shape (and dtype, unless given) of ``x``."""
    x = convert(x)
    return torch.zeros_like(x, dtype=_dtype(dtype, x.dtype))


@keras_op()
def ones_like(x: Any, dtype: Any = None) -> torch.Tensor:
    """Ones with the shape (and dtype, unless given) of ``x``."""
    x = convert(x)
    return torch.ones_like(x, dtype=_dtype(dtype, x.dtype))


@keras_op()
def empty_like(x: Any, dtype: Any = None) -> torch.Tensor:
    """An uninitialised tensor like ``x`` (zeros, as Keras' torch backend)."""
    x = convert(x)
    return torch.zeros_like(x, dtype=_dtype(dtype, x.dtype))


@keras_op()
def full_like(x: Any, fill_value: Any, dtype: Any = None) -> torch.Tensor:
    """A tensor like ``x`` filled with ``fill_value``."""
    x = convert(x)
    return torch.full_like(x, fill_value, dtype=_dtype(dtype, x.dtype))


@keras_op()
def eye(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> torch.Tensor:  # noqa: N803
    """A 2D tensor with ones on the ``k``-th diagonal."""
    M = N if M is None else M  # noqa: N806
    # (N, M) ones on the k-th diagonal: the identity of the diagonal's indices.
    rows = torch.arange(N, device=scoped_device())[:, None]
    cols = torch.arange(M, device=scoped_device())[None, :]
    return (cols - rows == k).to(_dtype(dtype))


@keras_op()
def identity(n: int, dtype: Any = None) -> torch.Tensor:
    """The ``n`` x ``n`` identity matrix."""
    return torch.eye(n, dtype=_dtype(dtype), device=scoped_device())


@keras_op()
def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None) -> torch.Tensor:  # noqa: N803
    """Ones at and below the ``k``-th diagonal."""
    M = N if M is None else M  # noqa: N806
    return torch.tril(torch.ones(N, M, dtype=_dtype(dtype), device=scoped_device()), k)


def _diagonal_op(name: str, function: Any, doc: str) -> Any:
    """The op ``name(x, k=0)``: torch's ``function`` of ``x`` and the diagonal offset ``k``."""

    def op(x: Any, k: int = 0) -> torch.Tensor:
        return function(convert(x), k)

    return generated_op(name, op, doc)


tril = _diagonal_op("tril", torch.tril, "The lower triangle of ``x`` (last two axes).")
triu = _diagonal_op("triu", torch.triu, "The upper triangle of ``x`` (last two axes).")
diag = _diagonal_op("diag", torch.diag, "The ``k``-th diagonal of a matrix, or a matrix with ``x`` on it.")
diagflat = _diagonal_op("diagflat", torch.diagflat, "A matrix with the flattened ``x`` on the ``k``-th diagonal.")


@keras_op()
def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, retstep: bool = False,
             dtype: Any = None, axis: int = 0) -> Any:  # fmt: skip
    """``num`` evenly spaced values from ``start`` to ``stop``."""
    dtype = _dtype(dtype)
    start_t, stop_t = convert(start, torch.float64), convert(stop, torch.float64)
    steps = torch.linspace(0, 1, num + (0 if endpoint else 1), dtype=torch.float64, device=start_t.device)[:num]
    shape = (num,) + (1,) * start_t.ndim
    values = start_t + steps.reshape(shape) * (stop_t - start_t)
    values = torch.movedim(values, 0, axis).to(dtype)
    if retstep:
        return values, ((stop_t - start_t) / builtins.max(num - 1 if endpoint else num, 1)).to(dtype)
    return values


@keras_op()
def logspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: float = 10,
             dtype: Any = None, axis: int = 0) -> torch.Tensor:  # fmt: skip
    """``base ** linspace(start, stop)``."""
    exponents = linspace.__wrapped__(start, stop, num, endpoint, dtype=torch.float64, axis=axis)
    return torch.pow(torch.as_tensor(base, dtype=torch.float64), exponents).to(_dtype(dtype))


@keras_op()
def geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None,
              axis: int = 0) -> torch.Tensor:  # fmt: skip
    """Numbers spaced evenly on a log scale from ``start`` to ``stop``."""
    start_t, stop_t = convert(start, torch.float64), convert(stop, torch.float64)
    exponents = linspace.__wrapped__(torch.log(start_t), torch.log(stop_t), num, endpoint, dtype=torch.float64)
    values = torch.movedim(torch.exp(exponents), 0, axis)
    return values.to(_dtype(dtype))


@keras_op()
def meshgrid(*x: Any, indexing: str = "xy") -> list[torch.Tensor]:
    """Coordinate grids from 1D tensors (``indexing='xy'`` or ``'ij'``)."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"ops.meshgrid: indexing must be 'xy' or 'ij'; received {indexing!r}.")
    return list(torch.meshgrid(*[convert(v) for v in x], indexing=indexing))


@keras_op()
def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> torch.Tensor:
    """The diagonal of ``x`` over ``axis1``/``axis2``, moved last."""
    return torch.diagonal(convert(x), offset, axis1, axis2)


@keras_op()
def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> torch.Tensor:
    """The sum along a diagonal."""
    x = convert(x)
    result = torch.sum(torch.diagonal(x, offset, axis1, axis2), dim=-1)
    return result.to(torch.int32 if x.dtype in (torch.bool, torch.uint8, torch.int8, torch.int16) else x.dtype)


@keras_op()
def vander(x: Any, N: int | None = None, increasing: bool = False) -> torch.Tensor:  # noqa: N803
    """The Vandermonde matrix of a 1D ``x``."""
    return torch.vander(convert(x), N, increasing)


# ---------------------------------------------------------------------- shapes
@keras_op()
def reshape(x: Any, newshape: Any) -> torch.Tensor:
    """``x`` with shape ``newshape`` (one entry may be ``-1``)."""
    return torch.reshape(convert(x), _shape(newshape, "reshape"))


@keras_op()
def ravel(x: Any) -> torch.Tensor:
    """``x`` flattened to 1D."""
    return torch.ravel(convert(x))


@keras_op()
def transpose(x: Any, axes: Sequence[int] | None = None) -> torch.Tensor:
    """``x`` with its axes permuted (reversed by default)."""
    x = convert(x)
    if axes is None:
        return torch.permute(x, tuple(range(x.ndim - 1, -1, -1)))
    if len(axes) != x.ndim:
        raise ValueError(f"ops.transpose: axes must list all {x.ndim} axes of x; received axes={axes!r}.")
    return torch.permute(x, tuple(axes))


@keras_op()
def swapaxes(x: Any, axis1: int, axis2: int) -> torch.Tensor:
    """``x`` with two axes exchanged."""
    return torch.swapaxes(convert(x), axis1, axis2)


@keras_op()
def moveaxis(x: Any, source: Any, destination: Any) -> torch.Tensor:
    """``x`` with axes moved from ``source`` to ``destination``."""
    return torch.movedim(convert(x), source, destination)


@keras_op()
def expand_dims(x: Any, axis: int | Sequence[int]) -> torch.Tensor:
    """``x`` with new size-1 axes at ``axis``."""
    x = convert(x)
    axes = _axes(axis)
    out_ndim = x.ndim + len(axes)
    for a in sorted(a % out_ndim for a in axes):
        x = torch.unsqueeze(x, a)
    return x


@keras_op()
def squeeze(x: Any, axis: Axis = None) -> torch.Tensor:
    """``x`` without its size-1 axes (only ``axis`` when given)."""
    x = convert(x)
    if axis is None:
        return torch.squeeze(x)
    for a in _axes(axis):
        if x.shape[a] != 1:
            raise ValueError(f"ops.squeeze: cannot squeeze axis={a} of size {x.shape[a]} (shape {tuple(x.shape)}).")
    return torch.squeeze(x, _axes(axis))


@keras_op()
def broadcast_to(x: Any, shape: Any) -> torch.Tensor:
    """``x`` broadcast to ``shape``."""
    return torch.broadcast_to(convert(x), _shape(shape, "broadcast_to"))


def _tensors(xs: Any, op: str) -> list[torch.Tensor]:
    if isinstance(xs, torch.Tensor) or not isinstance(xs, (list, tuple)):
        raise TypeError(f"ops.{op}: xs must be a list or tuple of tensors; received {type(xs).__name__}.")
    tensors = [convert(v) for v in xs]
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        dtype = torch.promote_types(dtype, t.dtype)
    return [t.to(dtype) for t in tensors]


@keras_op()
def concatenate(xs: Sequence[Any], axis: int | None = 0) -> torch.Tensor:
    """Joins tensors along an existing ``axis`` (``None`` flattens them first)."""
    tensors = _tensors(xs, "concatenate")
    if axis is None:
        return torch.cat([t.reshape(-1) for t in tensors])
    return torch.cat(tensors, dim=axis)


@keras_op()
def stack(x: Sequence[Any], axis: int = 0) -> torch.Tensor:
    """Joins tensors along a new ``axis``."""
    return torch.stack(_tensors(x, "stack"), dim=axis)


@keras_op()
def hstack(xs: Sequence[Any]) -> torch.Tensor:
    """Joins tensors column-wise."""
    return torch.hstack(_tensors(xs, "hstack"))


@keras_op()
def vstack(xs: Sequence[Any]) -> torch.Tensor:
    """Joins tensors row-wise."""
    return torch.vstack(_tensors(xs, "vstack"))


@keras_op()
def dstack(xs: Sequence[Any]) -> torch.Tensor:
    """Joins tensors along the third axis."""
    return torch.dstack(_tensors(xs, "dstack"))


def _split(x: torch.Tensor, indices_or_sections: Any, axis: int, op: str, even: bool) -> list[torch.Tensor]:
    if isinstance(indices_or_sections, int):
        size = x.shape[axis]
        if even and size % indices_or_sections:
            raise ValueError(
                f"ops.{op}: axis {axis} of size {size} cannot be split into {indices_or_sections} equal "
                "sections; use ops.array_split for unequal ones."
            )
        return list(torch.tensor_split(x, indices_or_sections, dim=axis))
    return list(torch.tensor_split(x, [int(i) for i in indices_or_sections], dim=axis))


@keras_op()
def split(x: Any, indices_or_sections: Any, axis: int = 0) -> list[torch.Tensor]:
    """Splits ``x`` into equal sections, or at the given indices."""
    return _split(convert(x), indices_or_sections, axis, "split", even=True)


@keras_op()
def array_split(x: Any, indices_or_sections: Any, axis: int = 0) -> list[torch.Tensor]:
    """Splits ``x`` into nearly equal sections."""
    return _split(convert(x), indices_or_sections, axis, "array_split", even=False)


@keras_op()
def hsplit(x: Any, indices_or_sections: Any) -> list[torch.Tensor]:
    """Splits along axis 1 (axis 0 for 1D)."""
    x = convert(x)
    return _split(x, indices_or_sections, 0 if x.ndim == 1 else 1, "hsplit", even=True)


@keras_op()
def vsplit(x: Any, indices_or_sections: Any) -> list[torch.Tensor]:
    """Splits along axis 0."""
    return _split(convert(x), indices_or_sections, 0, "vsplit", even=True)


@keras_op()
def dsplit(x: Any, indices_or_sections: Any) -> list[torch.Tensor]:
    """Splits along axis 2."""
    return _split(convert(x), indices_or_sections, 2, "dsplit", even=True)


@keras_op()
def tile(x: Any, repeats: Any) -> torch.Tensor:
    """``x`` repeated ``repeats`` times per axis."""
    return torch.tile(convert(x), _shape(repeats, "tile"))


@keras_op()
def repeat(x: Any, repeats: Any, axis: int | None = None) -> torch.Tensor:
    """Each element of ``x`` repeated ``repeats`` times (flattened when ``axis`` is ``None``)."""
    x = convert(x)
    if not isinstance(repeats, int):
        repeats = convert(repeats, torch.int64, like=x)
    return torch.repeat_interleave(x, repeats, dim=axis)


@keras_op()
def flip(x: Any, axis: Axis = None) -> torch.Tensor:
    """``x`` reversed along ``axis`` (all axes by default)."""
    x = convert(x)
    return torch.flip(x, _axes(axis) or tuple(range(x.ndim)))


@keras_op()
def fliplr(x: Any) -> torch.Tensor:
    """``x`` reversed along axis 1."""
    return torch.fliplr(convert(x))


@keras_op()
def flipud(x: Any) -> torch.Tensor:
    """``x`` reversed along axis 0."""
    return torch.flipud(convert(x))


@keras_op()
def roll(x: Any, shift: Any, axis: Axis = None) -> torch.Tensor:
    """``x`` rolled by ``shift`` along ``axis`` (flattened by default)."""
    return torch.roll(convert(x), shift, axis)


@keras_op()
def rot90(array: Any, k: int = 1, axes: tuple[int, int] = (0, 1)) -> torch.Tensor:
    """``array`` rotated by 90 degrees ``k`` times in the plane of ``axes``."""
    return torch.rot90(convert(array), k, list(axes))


@keras_op()
def pad(x: Any, pad_width: Any, mode: str = "constant", constant_values: Any = None) -> torch.Tensor:
    """``x`` padded by ``pad_width`` (NumPy's format) in ``mode`` ``'constant'``, ``'reflect'`` or ``'symmetric'``."""
    x = convert(x)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64).reshape(-1, 2) if np.ndim(pad_width) else
                             np.full((1, 2), pad_width), (x.ndim, 2))  # fmt: skip
    if mode not in ("constant", "reflect", "symmetric", "edge", "wrap"):
        raise ValueError(f"ops.pad: unsupported mode={mode!r}; expected 'constant', 'reflect', 'symmetric', "
                         "'edge' or 'wrap'.")  # fmt: skip
    if constant_values is not None and mode != "constant":
        raise ValueError(f"ops.pad: constant_values is only used with mode='constant'; received mode={mode!r}.")
    flat = [int(v) for pair in widths[::-1] for v in pair]
    if mode == "constant":
        return torch.nn.functional.pad(x, flat, value=0 if constant_values is None else constant_values)
    torch_mode = {"reflect": "reflect", "edge": "replicate", "wrap": "circular"}.get(mode)
    if mode == "symmetric":
        for axis, (before, after) in enumerate(widths):
            parts = [torch.flip(x.narrow(axis, 0, before), (axis,)), x,
                     torch.flip(x.narrow(axis, x.shape[axis] - after, after), (axis,))]  # fmt: skip
            x = torch.cat(parts, dim=axis)
        return x
    return _pad_nd(x, widths, torch_mode)


def _pad_nd(x: torch.Tensor, widths: np.ndarray, mode: str) -> torch.Tensor:
    for axis, (before, after) in enumerate(widths):
        if before or after:
            moved = torch.movedim(x, axis, -1)
            shape = moved.shape
            padded = torch.nn.functional.pad(moved.reshape(1, -1, shape[-1]).double(), (int(before), int(after)),
                                             mode=mode)  # fmt: skip
            x = torch.movedim(padded.reshape(*shape[:-1], -1).to(x.dtype), -1, axis)
    return x


@keras_op()
def append(x1: Any, x2: Any, axis: int | None = None) -> torch.Tensor:
    """``x2`` appended to ``x1`` (both flattened when ``axis`` is ``None``)."""
    return concatenate.__wrapped__([x1, x2], axis=axis)


@keras_op()
def copy(x: Any) -> torch.Tensor:
    """A copy of ``x``."""
    return torch.clone(convert(x))


@keras_op()
def size(x: Any) -> torch.Tensor:
    """The number of elements of ``x``, as a 0-d int64 tensor (Keras' torch backend)."""
    x = convert(x)
    return torch.tensor(x.numel(), device=x.device)


@keras_op()
def ndim(x: Any) -> int:
    """The number of axes of ``x``."""
    return convert(x).ndim
