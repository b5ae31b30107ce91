"""Function transforms (``keras.ops``): ``vectorized_map``, ``vectorize``, ``associative_scan``,
``custom_gradient`` and ``jvp``, on ``torch.vmap``, ``torch.autograd.Function`` and ``torch.func.jvp``.

They take Python functions, so, like ``ops.scan``, they run eagerly; inside a
functional model they belong in a layer's ``call``.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> ops.vectorized_map(lambda row: row.sum(), torch.ones(3, 4)).tolist()
    [4.0, 4.0, 4.0]
    >>> ops.associative_scan(lambda a, b: a + b, torch.tensor([1, 2, 3, 4])).tolist()
    [1, 3, 6, 10]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection
from typing import Any

import torch

from fitorch.ops.core import _refuse_symbolic
from fitorch.ops.dtypes import convert
from fitorch.ops.registry import keras_op
from fitorch.utils import tree


def _check_callable(op: str, name: str, value: Any) -> None:
    if not callable(value):
        raise TypeError(f"ops.{op}: {name} must be a callable; received {type(value).__name__}.")


@keras_op(symbolic=False)
def vectorized_map(function: Callable[[Any], Any], elements: Any) -> Any:
    """``function`` mapped over axis 0 of ``elements`` in one batched call (``torch.vmap``).

    The same as stacking ``function(e)`` for each slice ``e`` of ``elements``. When
    ``elements`` is a list or tuple of tensors, ``function`` receives one list (tuple)
    of their slices. A function ``torch.vmap`` cannot batch (one that reads values
    with ``.item()`` or branches on them) runs slice by slice instead.

    Args:
        function: maps one slice (or a structure of slices) to a tensor or a structure of tensors.
        elements: a tensor, or a list/tuple of tensors with the same size along axis 0.

    Returns:
        The outputs stacked along a new axis 0.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> ops.vectorized_map(lambda pair: pair[0] * pair[1], [torch.ones(2, 3), torch.arange(6.0).reshape(2, 3)])
        tensor([[0., 1., 2.],
                [3., 4., 5.]])
    """
    _check_callable("vectorized_map", "function", function)
    _refuse_symbolic("vectorized_map", elements)
    try:
        return torch.vmap(function)(elements)
    except RuntimeError as error:
        if "vmap" not in str(error):
            raise
    # torch.vmap refused a data-dependent function: loop over the slices instead.
    leaves = [convert(leaf) for leaf in tree.flatten(elements)]
    outputs = [function(tree.pack_sequence_as(elements, [leaf[i] for leaf in leaves])) for i in range(len(leaves[0]))]
    stacked = [torch.stack(column) for column in zip(*(tree.flatten(o) for o in outputs), strict=True)]
    return tree.pack_sequence_as(outputs[0], stacked)


def _parse_signature(signature: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """``'(m,n),(n)->(m)'`` -> ``([('m', 'n'), ('n',)], [('m',)])`` (NumPy's generalized-ufunc signature)."""
    argument = r"\((?:\w+(?:,\s*\w+)*)?\)"
    arguments = rf"{argument}(?:,\s*{argument})*"
    if not isinstance(signature, str) or not re.fullmatch(rf"\s*{arguments}\s*->\s*{arguments}\s*", signature):
        raise ValueError(f"ops.vectorize: signature must look like '(m,n),(n)->(m)'; received {signature!r}.")
    inputs, outputs = signature.split("->")

    def dims(part: str) -> list[tuple[str, ...]]:
        return [tuple(re.findall(r"\w+", group)) for group in re.findall(argument, part)]

    return dims(inputs), dims(outputs)


@keras_op(symbolic=False)
def vectorize(
    pyfunc: Callable[..., Any], *, excluded: Collection[int | str] | None = None, signature: str | None = None
) -> Callable[..., Any]:
    """Turns a function of scalars (or of core-dimension blocks) into one that broadcasts over leading axes.

    As ``numpy.vectorize``: the arguments are broadcast against each other over their
    leading (loop) axes, and ``pyfunc`` is batched over them with nested ``torch.vmap``
    calls, one per loop axis (an argument of size 1 on an axis is not batched there).

    Args:
        pyfunc: the function; without ``signature`` it takes and returns scalar tensors.
        excluded: positions (ints) or names (strs) of arguments passed to ``pyfunc``
            unchanged, not vectorized.
        signature: a generalized-ufunc signature such as ``'(m,n),(n)->(m)'``: the trailing
            core axes each argument and output has; the axes before them are looped over.

    Returns:
        The vectorized function.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> add = ops.vectorize(lambda a, b: a + b)
        >>> add(torch.tensor([1, 2, 3, 4]), 2).tolist()
        [3, 4, 5, 6]
        >>> matvec = ops.vectorize(torch.mv, signature="(m,n),(n)->(m)")
        >>> matvec(torch.ones(5, 2, 3), torch.ones(3)).shape
        torch.Size([5, 2])
    """
    if not callable(pyfunc):  # a ValueError, as Keras raises
        raise ValueError(f"ops.vectorize: pyfunc must be a callable; received {type(pyfunc).__name__}.")
    excluded = set(excluded or ())
    input_dims, output_dims = _parse_signature(signature) if signature is not None else (None, None)

    @functools.wraps(pyfunc)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _refuse_symbolic("vectorize", *args, *kwargs.values())
        static = {i: a for i, a in enumerate(args) if i in excluded or a is None}
        static_kwargs = {k: v for k, v in kwargs.items() if k in excluded}
        dynamic = [convert(a) for i, a in enumerate(args) if i not in static]
        dynamic_kwargs = {k: v for k, v in kwargs.items() if k not in excluded}
        if dynamic_kwargs:
            raise ValueError(f"ops.vectorize: keyword arguments are vectorized only when excluded; "
                             f"received {sorted(dynamic_kwargs)} (pass them positionally or list them in excluded).")  # fmt: skip
        core = input_dims if input_dims is not None else [()] * len(dynamic)
        if len(core) != len(dynamic):
            raise ValueError(f"ops.vectorize: signature {signature!r} names {len(core)} inputs; "
                             f"received {len(dynamic)} vectorized arguments.")  # fmt: skip
        sizes: dict[str, int] = {}
        for n, (arg, names) in enumerate(zip(dynamic, core, strict=True)):
            if arg.ndim < len(names):
                raise ValueError(f"ops.vectorize: argument {n} needs at least {len(names)} axes {names} for "
                                 f"signature {signature!r}; received shape {tuple(arg.shape)}.")  # fmt: skip
            for name, size in zip(names, arg.shape[arg.ndim - len(names) :], strict=True):
                if sizes.setdefault(name, size) != size:
                    raise ValueError(f"ops.vectorize: core axis {name!r} has sizes {sizes[name]} and {size}.")
        loop_shapes = [tuple(arg.shape[: arg.ndim - len(names)]) for arg, names in zip(dynamic, core, strict=True)]
        loop_shape = torch.broadcast_shapes(*loop_shapes)

        def call(*values: Any) -> Any:
            full = list(values)
            for i in sorted(static):
                full.insert(i, static[i])
            return pyfunc(*full, **static_kwargs)

        function, squeezed, expand = call, [], []
        # Each argument's loop axes, right-aligned; size-1 axes are squeezed and not batched.
        padded = [(1,) * (len(loop_shape) - len(s)) + s for s in loop_shapes]
        for arg, own in zip(dynamic, loop_shapes, strict=True):
            ones = [i for i, size in enumerate(own) if size == 1]
            squeezed.append(arg.squeeze(ones) if ones else arg)
        for axis in range(len(loop_shape) - 1, -1, -1):
            in_dims = tuple(None if shape[axis] == 1 else 0 for shape in padded)
            if all(d is None for d in in_dims):
                expand.append(axis)
            else:
                function = torch.vmap(function, in_dims=in_dims)
        result = function(*squeezed)
        if output_dims is not None and len(output_dims) > 1 and not isinstance(result, tuple):
            raise TypeError(f"ops.vectorize: signature {signature!r} names {len(output_dims)} outputs; "
                            f"pyfunc returned {type(result).__name__}, not a tuple.")  # fmt: skip
        for axis in sorted(expand):
            result = tree.map_structure(lambda r, a=axis: r.unsqueeze(a), result)
        return result

    return wrapped


def _interleave(even: torch.Tensor, odd: torch.Tensor, axis: int) -> torch.Tensor:
    """``[e0, o0, e1, o1, ...]`` along ``axis``; ``even`` has as many items as ``odd`` or one more."""
    total = even.shape[axis] + odd.shape[axis]
    if odd.shape[axis] < even.shape[axis]:
        odd = torch.cat([odd, even.narrow(axis, 0, 1)], dim=axis)  # filler, cut below
    # (..., m, ...) x 2 -> (..., m, 2, ...) -> (..., 2m, ...)
    return torch.stack([even, odd], dim=axis + 1).flatten(axis, axis + 1).narrow(axis, 0, total)


@keras_op(symbolic=False)
def associative_scan(f: Callable[[Any, Any], Any], elems: Any, reverse: bool = False, axis: int = 0) -> Any:
    """The inclusive prefix scan of ``elems`` along ``axis`` under the associative operation ``f``.

    ``f(a, b)`` must be associative and work on whole slices at once (it is called
    ``O(log n)`` times on batches of elements, not once per element). The result's
    item ``i`` is ``f(... f(f(e0, e1), e2) ..., ei)`` (``reverse=True`` scans from the end).

    Args:
        f: the associative operation, taking and returning structures like ``elems``.
        elems: a tensor, or a structure (list, tuple, dict) of tensors with the same size along ``axis``.
        reverse: scan from the last item to the first (default ``False``).
        axis: the axis to scan along (default 0).

    Returns:
        The scanned values, with the structure and shapes of ``elems``.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> ops.associative_scan(torch.maximum, torch.tensor([1, 3, 2, 5, 4]), reverse=True).tolist()
        [5, 5, 5, 5, 4]
    """
    _check_callable("associative_scan", "f", f)
    _refuse_symbolic("associative_scan", elems)
    leaves = [convert(leaf) for leaf in tree.flatten(elems)]
    if not leaves:
        raise ValueError("ops.associative_scan: elems holds no tensors.")
    if not -leaves[0].ndim <= axis < leaves[0].ndim:
        raise ValueError(f"ops.associative_scan: axis={axis} is out of range for shape {tuple(leaves[0].shape)}.")
    axis = axis % leaves[0].ndim
    if any(leaf.ndim <= axis or leaf.shape[axis] != leaves[0].shape[axis] for leaf in leaves):
        raise ValueError(f"ops.associative_scan: every tensor in elems needs the same size along axis {axis}; "
                         f"received shapes {[tuple(leaf.shape) for leaf in leaves]}.")  # fmt: skip
    if reverse:
        leaves = [leaf.flip(axis) for leaf in leaves]

    def combine(a: list[torch.Tensor], b: list[torch.Tensor]) -> list[torch.Tensor]:
        result = f(tree.pack_sequence_as(elems, a), tree.pack_sequence_as(elems, b))
        return [convert(r) for r in tree.flatten(result)]

    def scan(values: list[torch.Tensor]) -> list[torch.Tensor]:
        count = values[0].shape[axis]
        if count < 2:
            return values

        def items(start: int, stop: int | None = None, step: int = 1) -> list[torch.Tensor]:
            index = (slice(None),) * axis + (slice(start, stop, step),)
            return [v[index] for v in values]

        # Combine neighbouring pairs, scan those (the odd positions), then fill in the even ones.
        odd = scan(combine(items(0, -1, 2), items(1, None, 2)))
        # Even item 2k (k >= 1) is odd item 2k - 1 combined with elems item 2k.
        previous = [o.narrow(axis, 0, o.shape[axis] - 1 if count % 2 == 0 else o.shape[axis]) for o in odd]
        even = combine(previous, items(2, None, 2)) if previous[0].shape[axis] else previous
        even = [torch.cat([first, e], dim=axis) for first, e in zip(items(0, 1), even, strict=True)]
        return [_interleave(e, o, axis) for e, o in zip(even, odd, strict=True)]

    scanned = scan(leaves)
    if reverse:
        scanned = [s.flip(axis) for s in scanned]
    return tree.pack_sequence_as(elems, scanned)


class _CustomGradient(torch.autograd.Function):
    """Runs ``forward_fn`` without recording it; its ``grad_fn`` gives the backward pass."""

    @staticmethod
    def forward(ctx: Any, forward_fn: Callable[..., Any], *args: Any) -> Any:
        result = forward_fn(*args)
        if not isinstance(result, (tuple, list)) or len(result) != 2 or not callable(result[1]):
            raise TypeError(f"ops.custom_gradient: the function must return (output, grad_fn); "
                            f"received {type(result).__name__}.")  # fmt: skip
        output, ctx.grad_fn = result
        ctx.is_tensor = [isinstance(a, torch.Tensor) for a in args]
        ctx.save_for_backward(*[a for a in args if isinstance(a, torch.Tensor)])
        ctx.others = [None if isinstance(a, torch.Tensor) else a for a in args]
        return output

    @staticmethod
    def backward(ctx: Any, *upstream: torch.Tensor) -> Any:
        saved = iter(ctx.saved_tensors)
        args = [next(saved) if is_tensor else other for is_tensor, other in zip(ctx.is_tensor, ctx.others, strict=True)]
        grads = ctx.grad_fn(*args, upstream=upstream[0] if len(upstream) == 1 else upstream)
        grads = tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)
        if len(grads) != len(args):
            raise ValueError(f"ops.custom_gradient: grad_fn must return one gradient per argument ({len(args)}); "
                             f"received {len(grads)}.")  # fmt: skip
        return (None, *(g if is_tensor else None for g, is_tensor in zip(grads, ctx.is_tensor, strict=True)))


@keras_op(symbolic=False)
def custom_gradient(f: Callable[..., Any]) -> Callable[..., Any]:
    """Decorates ``f(*args) -> (output, grad_fn)`` into a function whose gradient ``grad_fn`` defines.

    As in Keras' torch backend, autograd calls ``grad_fn(*args, upstream=upstream)``,
    with ``upstream`` the gradient of the output (a tuple for several outputs); it
    returns one gradient per argument. Write ``def grad(*args, upstream=None)`` (and
    use ``args[0]`` when ``upstream`` is ``None``) to also run under JAX and TensorFlow.

    Args:
        f: the function; its positional arguments are the tensors to differentiate.

    Returns:
        A function returning ``f(*args)[0]``, differentiated by ``grad_fn``.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> @ops.custom_gradient
        ... def log1pexp(x):
        ...     e = torch.exp(x)
        ...     def grad(*args, upstream=None):
        ...         return upstream * (1.0 - 1.0 / (1 + e))
        ...     return torch.log(1 + e), grad
        >>> x = torch.tensor(100.0, requires_grad=True)
        >>> log1pexp(x).backward()
        >>> x.grad
        tensor(1.)
    """
    _check_callable("custom_gradient", "f", f)

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _refuse_symbolic("custom_gradient", *args, *kwargs.values())
        forward = functools.partial(f, **kwargs) if kwargs else f
        return _CustomGradient.apply(forward, *args)

    return wrapped


@keras_op(symbolic=False)
def jvp(
    fun: Callable[..., Any], primals: tuple[Any, ...] | list[Any], tangents: tuple[Any, ...] | list[Any],
    has_aux: bool = False,
) -> tuple[Any, ...]:  # fmt: skip
    """The Jacobian-vector product of ``fun`` at ``primals`` along ``tangents`` (forward mode, ``torch.func.jvp``).

    Args:
        fun: a function of ``len(primals)`` tensors.
        primals: the point, a tuple or list of tensors.
        tangents: the direction, tensors shaped like ``primals``.
        has_aux: ``fun`` returns ``(output, aux)``; ``aux`` is passed through undifferentiated.

    Returns:
        ``(output, jvp_out)``, or ``(output, jvp_out, aux)`` when ``has_aux``.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> ops.jvp(torch.sin, (torch.tensor([0.0]),), (torch.tensor([2.0]),))
        (tensor([0.]), tensor([2.]))
    """
    _check_callable("jvp", "fun", fun)
    for name, value in (("primals", primals), ("tangents", tangents)):
        if not isinstance(value, (tuple, list)):
            raise TypeError(f"ops.jvp: {name} must be a tuple or list of tensors; received {type(value).__name__}.")
    if len(primals) != len(tangents):
        raise ValueError(f"ops.jvp: primals and tangents need the same length; received {len(primals)} "
                         f"and {len(tangents)}.")  # fmt: skip
    _refuse_symbolic("jvp", *primals, *tangents)
    primals = tuple(convert(p) for p in primals)
    tangents = tuple(convert(t, like=p) for t, p in zip(tangents, primals, strict=True))
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)
