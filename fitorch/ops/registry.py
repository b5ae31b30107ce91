"""The table of ``fitorch.ops`` functions, by their snake_case Keras name.

Every op is registered with :func:`keras_op`, which adds it to ``OPS`` and makes it
callable on symbolic tensors: called on a ``SymbolicTensor`` inside a functional
model, it records one ``OpLayer`` node instead of computing. Saved models name ops
by the key in ``OPS``, and loading looks them up there and nowhere else.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> get_op("multiply") is ops.multiply
    True
    >>> get_op("multiply")(torch.tensor([1.0, 2.0]), 3.0)
    tensor([3., 6.])
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from fitorch.graph.call import contains_symbolic

F = TypeVar("F", bound=Callable[..., Any])

#: Public op (dispatches symbolic calls), by Keras name: ``"add"``, ``"image.resize"`` ...
OPS: dict[str, Callable[..., Any]] = {}
#: The same ops without the symbolic dispatch; an ``OpLayer`` runs these.
EAGER_OPS: dict[str, Callable[..., Any]] = {}


def keras_op(name: str | None = None, symbolic: bool = True) -> Callable[[F], F]:
    """Registers an op under ``name`` (default: the function's name) and lets it take symbolic tensors.

    Args:
        name: the op's Keras name; defaults to the function's ``__name__``.
        symbolic: ``False`` for ops that handle symbolic tensors themselves (``shape``)
            or cannot be graph nodes (``cond`` takes Python functions).
    """

    def decorator(function: F) -> F:
        op_name = name or function.__name__
        if op_name in OPS:
            raise ValueError(f"The op {op_name!r} is registered twice.")

        if not symbolic:
            OPS[op_name] = EAGER_OPS[op_name] = function
            return function

        @functools.wraps(function)
        def op(*args: Any, **kwargs: Any) -> Any:
            if contains_symbolic(args, kwargs):
                from fitorch.ops.op_layer import call_symbolic

                return call_symbolic(op_name, function, args, kwargs)
            return function(*args, **kwargs)

        OPS[op_name] = op
        EAGER_OPS[op_name] = function
        return op  # type: ignore[return-value]

    return decorator


def generated_op(name: str, function: F, doc: str) -> F:
    """Registers a function that an op factory made (``_unary("exp", torch.exp, ...)``) as the op ``name``.

    Gives it the op's ``__name__`` and its docstring ``doc``, then registers it as :func:`keras_op` does.
    """
    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    return keras_op(name)(function)


def _unknown(name: Any) -> ValueError:
    close = difflib.get_close_matches(str(name), list(OPS), n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
    return ValueError(
        f"get_op: unknown op name {name!r}; expected the snake_case name of a supported keras.ops function "
        f"(e.g. 'multiply', 'image.resize').{hint}"
    )


def get_op(name: str) -> Callable[..., Any]:
    """Returns the ``fitorch.ops`` function registered under a snake_case ``keras.ops`` name.

    Names are looked up in a fixed table (``fitorch.ops.registry.OPS``) and nowhere
    else; image ops are named ``'image.resize'``, ``'image.pad_images'`` ...

    Args:
        name: the op's name in ``keras.ops``, e.g. ``'multiply'``.

    Returns:
        The op, callable on torch tensors and on symbolic tensors.

    Raises:
        ValueError: for a name that is not a supported op.

    Example:
        >>> from fitorch import ops
        >>> ops.get_op("add") is ops.add
        True
        >>> ops.get_op("multiplyy")
        Traceback (most recent call last):
        ...
        ValueError: get_op: unknown op name 'multiplyy'; ... Did you mean 'multiply'?
    """
    if not isinstance(name, str) or name not in OPS:
        raise _unknown(name)
    return OPS[name]


def get_eager_op(name: str) -> Callable[..., Any]:
    """The op's eager implementation (no symbolic dispatch); raises like :func:`get_op`."""
    if not isinstance(name, str) or name not in EAGER_OPS:
        raise _unknown(name)
    return EAGER_OPS[name]
