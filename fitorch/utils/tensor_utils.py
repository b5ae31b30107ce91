"""Keras' tensor helpers: ``standardize_dtype``, ``is_keras_tensor`` and ``get_source_inputs``.

A Keras tensor is fitorch's :class:`~fitorch.graph.symbolic_tensor.SymbolicTensor`: what
``Input()`` returns and what calling layers on it produces. Dtypes are named as Keras
names them (``'float32'``, ``'int64'``, ``'bool'``...), whatever spelling comes in.

Example:
    >>> import torch, numpy as np, fitorch
    >>> standardize_dtype(torch.float16), standardize_dtype(np.int64), standardize_dtype(None)
    ('float16', 'int64', 'float32')
    >>> x = fitorch.layers.Input(shape=(3,))
    >>> y = fitorch.layers.Dense(2)(x)
    >>> is_keras_tensor(y), is_keras_tensor(torch.ones(2))
    (True, False)
    >>> get_source_inputs(y)[0] is x
    True
"""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config

#: Every dtype name Keras 3 accepts (``keras.src.backend.common.dtypes.ALLOWED_DTYPES``).
ALLOWED_DTYPES = (
    "float16", "float32", "float64", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
    "bfloat16", "bool", "string", "float8_e4m3fn", "float8_e5m2", "complex64", "complex128",
)  # fmt: skip

#: Python types (and the string ``'int'``) as Keras' torch backend names them.
PYTHON_DTYPES = {bool: "bool", int: "int32", float: "float32", str: "string", "int": "int32", complex: "complex64"}


def standardize_dtype(dtype: Any) -> str:
    """Returns Keras' name for ``dtype`` (a torch or NumPy dtype, a Python type or a string).

    ``None`` gives the default float dtype (``fitorch.config.floatx()``), and Python
    types follow Keras' torch backend (``int`` is ``'int32'``, ``float`` is ``'float32'``).

    Args:
        dtype: ``torch.float32``, ``np.dtype('int8')``, ``np.float64``, ``'bfloat16'``, ``'torch.int64'``, ``bool``...

    Returns:
        One of Keras' dtype names, e.g. ``'float32'``.

    Raises:
        ValueError: if ``dtype`` names no dtype Keras knows.

    Example:
        >>> import torch, numpy as np
        >>> standardize_dtype(torch.long), standardize_dtype(np.dtype("uint8")), standardize_dtype(int)
        ('int64', 'uint8', 'int32')
    """
    if dtype is None:
        return config.floatx()
    try:
        name: Any = PYTHON_DTYPES.get(dtype, dtype)
    except TypeError:  # unhashable
        name = dtype
    if isinstance(name, torch.dtype):
        name = str(name).split(".")[-1]
    elif hasattr(name, "name"):
        name = name.name
    elif hasattr(name, "__name__"):
        name = name.__name__
    elif isinstance(name, str) and name.startswith("torch."):
        name = name.split(".")[-1]
    if not isinstance(name, str) or name not in ALLOWED_DTYPES:
        raise ValueError(f"standardize_dtype: invalid dtype {dtype!r}; expected a dtype named one of {ALLOWED_DTYPES}.")
    return name


def is_keras_tensor(x: Any) -> bool:
    """True when ``x`` is a symbolic tensor (from ``Input()`` or a layer called on one), as Keras'.

    Example:
        >>> import fitorch, torch
        >>> is_keras_tensor(fitorch.layers.Input(shape=(2,))), is_keras_tensor(torch.zeros(2))
        (True, False)
    """
    from fitorch.graph.symbolic_tensor import SymbolicTensor

    return isinstance(x, SymbolicTensor)


def get_source_inputs(tensor: Any) -> Any:
    """The ``Input`` tensors that ``tensor`` was computed from, as a list (Keras' ``get_source_inputs``).

    A tensor that is not symbolic is returned unchanged; an input tensor gives ``[tensor]``.

    Args:
        tensor: a symbolic tensor.

    Example:
        >>> import fitorch
        >>> a, b = fitorch.layers.Input(shape=(2,)), fitorch.layers.Input(shape=(2,))
        >>> total = fitorch.layers.Add()([fitorch.layers.Dense(2)(a), b])
        >>> [t is s for t, s in zip(get_source_inputs(total), (a, b))]
        [True, True]
    """
    if not is_keras_tensor(tensor):
        return tensor
    # Depth-first over the graph, parents in call order (Keras' order), without recursion so
    # that a chain of thousands of layers does not hit Python's recursion limit.
    sources: list[Any] = []
    visited: set[int] = set()
    stack = [iter([tensor])]
    while stack:
        current = next(stack[-1], None)
        if current is None:
            stack.pop()
            continue
        node = current.node
        if node is None or not node.input_tensors:  # an Input (or a detached tensor): a source
            for source in [current] if node is None else node.output_tensors:
                if all(source is not seen for seen in sources):
                    sources.append(source)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append(iter(node.input_tensors))
    return sources
