"""Core ops (``keras.ops.core``): conversion, shapes, control flow, slicing and scattering.

Control flow runs eagerly in Python, as with Keras' torch backend; those ops take
functions, so inside a functional model they belong in a layer's ``call``.

Example:
    >>> import numpy as np
    >>> from fitorch import ops
    >>> x = ops.convert_to_tensor(np.arange(6).reshape(2, 3))
    >>> ops.shape(x), ops.convert_to_numpy(ops.slice(x, (0, 1), (2, 2))).tolist()
    ((2, 3), [[1, 2], [4, 5]])
    >>> ops.fori_loop(0, 3, lambda i, total: total + i, 10)
    13
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.ops.dtypes import convert, to_torch_dtype
from fitorch.ops.registry import keras_op

_EAGER_ONLY = (
    "ops.{op} received a SymbolicTensor. It takes Python functions, which a functional model cannot store; "
    "call it inside a layer's call() (a Layer subclass), where its inputs are real tensors."
)


def _refuse_symbolic(op: str, *values: Any) -> None:
    for value in values:
        if isinstance(value, SymbolicTensor) or (
            isinstance(value, (list, tuple)) and any(isinstance(v, SymbolicTensor) for v in value)
        ):
            raise TypeError(_EAGER_ONLY.format(op=op))


@keras_op(symbolic=False)
def convert_to_tensor(x: Any, dtype: Any = None, sparse: bool | None = None, ragged: bool | None = None) -> Any:
    """``x`` (array, number, list or tensor) as a torch tensor; symbolic tensors pass through.

    Python floats become ``floatx()``, Python ints int32, NumPy arrays keep their dtype.
    """
    if sparse or ragged:
        raise ValueError("ops.convert_to_tensor: sparse=True and ragged=True are not supported by torch.")
    if isinstance(x, SymbolicTensor):
        return x if dtype is None else cast(x, dtype)
    return convert(x, dtype)


@keras_op(symbolic=False)
def convert_to_numpy(x: Any) -> np.ndarray:
    """``x`` as a NumPy array (detached, on the CPU; bfloat16 becomes float32)."""
    if isinstance(x, SymbolicTensor):
        raise TypeError(f"ops.convert_to_numpy: {x} holds no values while the model is being defined.")
    x = convert(x).detach()
    if x.dtype == torch.bfloat16:
        x = x.float()
    return x.cpu().numpy()


@keras_op(symbolic=False)
def is_tensor(x: Any) -> bool:
    """True for a torch tensor (or a symbolic tensor)."""
    return isinstance(x, (torch.Tensor, SymbolicTensor))


@keras_op(symbolic=False)
def shape(x: Any) -> tuple[int | None, ...]:
    """The shape of ``x`` as a tuple (``None`` for unknown dimensions of symbolic tensors)."""
    if isinstance(x, SymbolicTensor):
        return x.shape
    return tuple(convert(x).shape)


@keras_op(symbolic=False)
def dtype(x: Any) -> str:
    """The dtype of ``x`` as a Keras name, e.g. ``'float32'``."""
    value = x.dtype if isinstance(x, SymbolicTensor) else convert(x).dtype
    return str(value).removeprefix("torch.")


@keras_op()
def cast(x: Any, dtype: Any) -> torch.Tensor:
    """``x`` converted to ``dtype``."""
    return convert(x).to(to_torch_dtype(dtype))


@keras_op()
def saturate_cast(x: Any, dtype: Any) -> torch.Tensor:
    """``x`` cast to ``dtype`` after clipping to the range both dtypes can hold."""
    x, target = convert(x), to_torch_dtype(dtype)
    if target == torch.bool:
        return x.to(target)

    def info(d: torch.dtype) -> Any:
        return torch.finfo(d) if d.is_floating_point else torch.iinfo(d)

    if x.dtype != torch.bool:
        low, high = max(info(target).min, info(x.dtype).min), min(info(target).max, info(x.dtype).max)
        x = torch.clamp(x, low, high)
    return x.to(target)


@keras_op()
def stop_gradient(variable: Any) -> torch.Tensor:
    """``variable`` detached from the autograd graph."""
    return convert(variable).detach()


@keras_op(symbolic=False)
def cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    """``true_fn()`` if ``pred`` else ``false_fn()``."""
    _refuse_symbolic("cond", pred)
    return true_fn() if bool(pred) else false_fn()


@keras_op(symbolic=False)
def switch(index: Any, branches: Sequence[Callable[..., Any]], *operands: Any) -> Any:
    """``branches[index](*operands)``, with ``index`` clipped to the valid range."""
    _refuse_symbolic("switch", index, *operands)
    position = min(max(int(index), 0), len(branches) - 1)
    return branches[position](*operands)


@keras_op(symbolic=False)
def fori_loop(lower: int, upper: int, body_fun: Callable[[int, Any], Any], init_val: Any) -> Any:
    """``val = body_fun(i, val)`` for ``i`` in ``range(lower, upper)``; returns the final ``val``."""
    _refuse_symbolic("fori_loop", init_val)
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


@keras_op(symbolic=False)
def while_loop(cond: Callable[..., Any], body: Callable[..., Any], loop_vars: Any,
               maximum_iterations: int | None = None) -> Any:  # fmt: skip
    """Runs ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``, at most ``maximum_iterations`` times."""
    _refuse_symbolic("while_loop", loop_vars)
    single = not isinstance(loop_vars, (list, tuple))
    values = (loop_vars,) if single else tuple(loop_vars)
    count = 0
    while bool(cond(*values)) and (maximum_iterations is None or count < maximum_iterations):
        values = body(*values)
        values = (values,) if single else tuple(values)
        count += 1
    return values[0] if single else type(loop_vars)(values)


@keras_op(symbolic=False)
def map(f: Callable[[Any], Any], xs: Any) -> Any:  # noqa: A001
    """``f`` applied to each slice of ``xs`` along axis 0, the results stacked."""
    _refuse_symbolic("map", xs)
    outputs = [f(x) for x in xs]
    if isinstance(outputs[0], (list, tuple)):
        return type(outputs[0])(torch.stack(items) for items in zip(*outputs, strict=True))
    return torch.stack([convert(o) for o in outputs])


@keras_op(symbolic=False)
def scan(f: Callable[[Any, Any], Any], init: Any, xs: Any = None, length: int | None = None,
         reverse: bool = False, unroll: int = 1) -> tuple[Any, Any]:  # fmt: skip
    """Loops ``carry, y = f(carry, x)`` over ``xs`` (axis 0); returns the last carry and the stacked ``y``."""
    _refuse_symbolic("scan", init, xs)
    steps = len(xs) if xs is not None else int(length)
    order = range(steps - 1, -1, -1) if reverse else range(steps)
    carry, ys = init, []
    for i in order:
        carry, y = f(carry, None if xs is None else xs[i])
        ys.append(y)
    if reverse:
        ys.reverse()
    return carry, (torch.stack([convert(y) for y in ys]) if ys and ys[0] is not None else None)


@keras_op()
def get_item(x: Any, key: Any) -> torch.Tensor:
    """``x[key]``: ints, slices, ``None``, ``...`` and index tensors, as in NumPy."""
    x = convert(x)
    if isinstance(key, (np.ndarray, list)):
        key = convert(key, like=x)
    return x[key]


@keras_op()
def slice(inputs: Any, start_indices: Any, shape: Sequence[int]) -> torch.Tensor:  # noqa: A001
    """The block of ``inputs`` of size ``shape`` starting at ``start_indices``."""
    x = convert(inputs)
    starts = [int(s) for s in (start_indices.tolist() if isinstance(start_indices, torch.Tensor) else start_indices)]
    if len(starts) != x.ndim or len(shape) != x.ndim:
        raise ValueError(f"ops.slice: start_indices and shape need one entry per axis of inputs ({x.ndim}); "
                         f"received {list(starts)} and {list(shape)}.")  # fmt: skip
    for axis, (start, length) in enumerate(zip(starts, shape, strict=True)):
        x = x.narrow(axis, start, x.shape[axis] - start if length in (-1, None) else int(length))
    return x


@keras_op()
def slice_update(inputs: Any, start_indices: Any, updates: Any) -> torch.Tensor:
    """A copy of ``inputs`` with the block at ``start_indices`` replaced by ``updates``."""
    x = convert(inputs).clone()
    updates = convert(updates, like=x)
    index = tuple(builtins.slice(int(s), int(s) + n) for s, n in zip(start_indices, updates.shape, strict=True))
    x[index] = updates.to(x.dtype)
    return x


def _index_tuple(indices: torch.Tensor) -> tuple[torch.Tensor, ...]:
    # (N, depth) coordinates -> one index tensor per addressed axis.
    return tuple(indices.long().unbind(-1))


@keras_op()
def scatter(indices: Any, values: Any, shape: Sequence[int]) -> torch.Tensor:
    """A zero tensor of ``shape`` with ``values`` added at the ``(N, depth)`` coordinates ``indices``."""
    values = convert(values)
    indices = convert(indices, like=values)
    result = torch.zeros(tuple(shape), dtype=values.dtype, device=values.device)
    return result.index_put(_index_tuple(indices), values, accumulate=True)


@keras_op()
def scatter_update(inputs: Any, indices: Any, updates: Any, reduction: str | None = None) -> torch.Tensor:
    """A copy of ``inputs`` with ``updates`` written (or combined by ``reduction``) at ``indices``."""
    x = convert(inputs)
    updates = convert(updates, like=x).to(x.dtype)
    index = _index_tuple(convert(indices, like=x))
    if reduction is None:
        return x.index_put(index, updates)
    if reduction == "add":
        return x.index_put(index, updates, accumulate=True)
    reduce = {"mul": "prod", "max": "amax", "min": "amin"}.get(reduction)
    if reduce is None:
        raise ValueError(f"ops.scatter_update: reduction must be None, 'add', 'mul', 'max' or 'min'; "
                         f"received {reduction!r}.")  # fmt: skip
    flat_index = torch.zeros_like(index[0])
    depth = len(index)
    for axis, i in enumerate(index):
        flat_index = flat_index * x.shape[axis] + i
    flat = x.reshape(-1, *x.shape[depth:])
    expanded = flat_index.reshape(-1, *([1] * (flat.ndim - 1))).expand(-1, *flat.shape[1:])
    result = flat.scatter_reduce(0, expanded, updates.reshape(-1, *flat.shape[1:]), reduce=reduce)
    return result.reshape(x.shape)


@keras_op()
def unstack(x: Any, num: int | None = None, axis: int = 0) -> list[torch.Tensor]:
    """The slices of ``x`` along ``axis``."""
    return list(torch.unbind(convert(x), dim=axis))


@keras_op()
def view(x: Any, dtype: Any = None) -> torch.Tensor:
    """The same bits as ``x`` read as ``dtype`` (``torch.Tensor.view(dtype)``); no copy.

    When the item sizes differ, the last axis shrinks or grows accordingly (``int32``
    of shape ``(n, 2)`` viewed as ``int64`` has shape ``(n, 1)``).

    Args:
        x: a tensor.
        dtype: the dtype to read the bits as; ``None`` keeps ``x``'s.

    Returns:
        A tensor sharing ``x``'s memory.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> ops.view(torch.tensor([1.0, -2.0]), "int32").tolist()
        [1065353216, -1073741824]
    """
    x = convert(x)
    target = x.dtype if dtype is None else to_torch_dtype(dtype)
    old, new = x.element_size(), torch.empty((), dtype=target).element_size()
    if old != new and (x.ndim == 0 or (x.shape[-1] * old) % new):
        raise ValueError(f"ops.view: cannot view a {x.dtype} tensor of shape {tuple(x.shape)} as {target}: "
                         f"the last axis must hold a whole number of {new}-byte items.")  # fmt: skip
    if old != new and x.shape[-1] and x.stride(-1) != 1:
        x = x.contiguous()
    return x.view(target)
