"""``SymbolicTensor``: the placeholder that flows through a functional model definition.

It carries a shape (``None`` for unknown dimensions, the batch first), a dtype and
the node that produced it, and holds no data. Calling a layer on it records a
``Node``; ``Model(inputs, outputs)`` walks those nodes. A plain ``nn.Module`` joins
through ``fitorch.layers.TorchModule(module)(x)``. Python operators (``x + 1``,
``x @ w``, ``x[:, 0]``) and ``fitorch.ops`` functions record ``OpLayer`` nodes; torch
functions (``torch.relu(x)``, and so a bare ``nn.Linear(8, 4)(x)``) refuse with a
TypeError that says what to use instead.

Example:
    >>> from fitorch import layers
    >>> x = layers.Input(shape=(8,), name="features")
    >>> x
    <SymbolicTensor shape=(None, 8) dtype=float32 from 'features' (InputLayer)>
    >>> x.shape, x.ndim
    ((None, 8), 2)
    >>> (x[:, :2] * 2).shape
    (None, 2)
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:
    from fitorch.graph.node import Node

Shape = tuple[int | None, ...]

_TORCH_OP_MESSAGE = (
    "{op} received a SymbolicTensor {tensor}. Symbolic tensors only describe a model being "
    "defined and hold no values, so torch functions cannot run on them directly. Use the same op "
    "from fitorch.ops (e.g. fitorch.ops.relu(x)) or a Python operator (x + 1, x[:, 0]), which record "
    "graph nodes; or put the computation in a layer: fitorch.layers.Lambda(lambda x: ...), a Layer "
    "subclass, or a torch module wrapped as fitorch.layers.TorchModule(module), and call that on the "
    "symbolic tensor."
)

# A plain nn.Module called on a symbolic tensor: torch's own __call__ runs its forward, whose first
# torch op lands in __torch_function__ below.
_MODULE_MESSAGE = (
    "The torch module {module} ({cls}) was called on a SymbolicTensor {tensor}; its forward reached "
    "{op}, which cannot run on a tensor that only describes a model being defined. To use a torch "
    "module in a functional model, wrap it: fitorch.layers.TorchModule(module)(x) (Keras' name "
    "TorchModuleWrapper works too). Inside a fitorch Layer or Model, a torch module assigned as an "
    "attribute works as it is. For single torch functions use fitorch.ops (e.g. fitorch.ops.relu(x))."
)


def _calling_module() -> Any:
    """The outermost plain ``nn.Module`` whose ``forward`` is on the call stack, or ``None``.

    Only read to word an error: a bare module called on a symbolic tensor runs its
    ``forward`` through torch's ``__call__``, and the user called the outermost one.
    """
    from fitorch.layers.layer import Layer

    found = None
    frame = sys._getframe(1)
    while frame is not None:
        owner = frame.f_locals.get("self") if frame.f_code.co_name == "forward" else None
        if isinstance(owner, torch.nn.Module):
            if isinstance(owner, Layer):
                break  # a fitorch layer never runs on symbolic tensors: anything further out is not the call
            found = owner
        frame = frame.f_back
    return found


class SymbolicTensorError(TypeError, AttributeError):
    """A tensor method used on a ``SymbolicTensor``: a ``TypeError`` that ``hasattr`` still reads as missing."""


def _refusal(op: str, tensor: Any) -> str:
    """The message for a torch op (or tensor method) used on ``tensor``, naming the torch module being called."""
    module = _calling_module()
    if module is not None:
        cls = f"{type(module).__module__}.{type(module).__qualname__}"
        return _MODULE_MESSAGE.format(module=type(module).__name__, cls=cls, tensor=tensor, op=op)
    return _TORCH_OP_MESSAGE.format(op=op, tensor=tensor)


def dtype_name(dtype: torch.dtype) -> str:
    """``torch.float32`` -> ``'float32'``."""
    return str(dtype).removeprefix("torch.")


def _binary_op(symbol: str, name: str, reflected: bool = False) -> Any:
    """``__<symbol>__`` records ``fitorch.ops.<name>(self, other)``; reflected, ``__r<symbol>__``: ``(other, self)``."""

    def method(self: SymbolicTensor, other: Any) -> Any:
        from fitorch.ops.registry import get_op

        return get_op(name)(other, self) if reflected else get_op(name)(self, other)

    method.__name__ = f"__{'r' if reflected else ''}{symbol}__"
    return method


def _binary_ops(symbol: str, name: str) -> tuple[Any, Any]:
    """``__<symbol>__`` and its reflected ``__r<symbol>__``."""
    return _binary_op(symbol, name), _binary_op(symbol, name, reflected=True)


def _unary_op(symbol: str, name: str) -> Any:
    """``__<symbol>__``: records ``fitorch.ops.<name>(self)``."""

    def method(self: SymbolicTensor) -> Any:
        from fitorch.ops.registry import get_op

        return get_op(name)(self)

    method.__name__ = f"__{symbol}__"
    return method


class SymbolicTensor:
    """A shape, a dtype and the node that made it; the edges of a functional model.

    Args:
        shape: the full shape, batch axis included, with ``None`` where unknown.
        dtype: a ``torch.dtype``.
        node: the ``Node`` whose output this is (set by the graph).
        index: which output of that node this is.
    """

    def __init__(self, shape: Shape, dtype: torch.dtype, node: Node | None = None, index: int = 0) -> None:
        self.shape: Shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = dtype
        self.node = node
        self.index = index

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def layer(self) -> torch.nn.Module | None:
        """The layer (or module) that produced this tensor."""
        return self.node.module if self.node is not None else None

    @property
    def name(self) -> str:
        from fitorch.graph.node import module_name

        return module_name(self.layer) if self.layer is not None else "unknown"

    def __repr__(self) -> str:
        origin = ""
        if self.layer is not None:
            origin = f" from {self.name!r} ({type(self.layer).__name__})"
        return f"<SymbolicTensor shape={self.shape} dtype={dtype_name(self.dtype)}{origin}>"

    # Torch functions cannot run on a placeholder; say what to do instead (naming the torch module
    # being called, when the op comes from a bare module's forward).
    @classmethod
    def __torch_function__(cls, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        tensor = next((a for a in args if isinstance(a, SymbolicTensor)), "")
        raise TypeError(_refusal(getattr(func, "__name__", str(func)), tensor))

    def __getattr__(self, name: str) -> Any:
        # Only missing attributes come here. Tensor methods (x.dim(), x.view(...)) get the same advice as
        # torch functions, as a TypeError that is also an AttributeError (hasattr and getattr(..., default) work).
        if not name.startswith("_") and hasattr(torch.Tensor, name):
            raise SymbolicTensorError(_refusal(f"Tensor.{name}", self))
        raise AttributeError(f"{type(self).__name__} object has no attribute {name!r}")

    # Python operators record fitorch.ops nodes (an OpLayer each), as Keras' KerasTensor does: `x - 1`
    # records ops.subtract(x, 1) and its reflected form `1 - x` (__rsub__) ops.subtract(1, x). They are
    # written in the class body so that type checkers see them. `==` and `!=` keep their identity meaning:
    # graph code compares and hashes symbolic tensors.
    __add__, __radd__ = _binary_ops("add", "add")
    __sub__, __rsub__ = _binary_ops("sub", "subtract")
    __mul__, __rmul__ = _binary_ops("mul", "multiply")
    __truediv__, __rtruediv__ = _binary_ops("truediv", "divide")
    __floordiv__, __rfloordiv__ = _binary_ops("floordiv", "floor_divide")
    __mod__, __rmod__ = _binary_ops("mod", "mod")
    __pow__, __rpow__ = _binary_ops("pow", "power")
    __matmul__, __rmatmul__ = _binary_ops("matmul", "matmul")
    __and__, __rand__ = _binary_ops("and", "logical_and")
    __or__, __ror__ = _binary_ops("or", "logical_or")
    __xor__, __rxor__ = _binary_ops("xor", "logical_xor")
    __lt__ = _binary_op("lt", "less")
    __le__ = _binary_op("le", "less_equal")
    __gt__ = _binary_op("gt", "greater")
    __ge__ = _binary_op("ge", "greater_equal")
    __getitem__ = _binary_op("getitem", "get_item")
    __neg__ = _unary_op("neg", "negative")
    __abs__ = _unary_op("abs", "abs")
    __invert__ = _unary_op("invert", "logical_not")

    def __round__(self, ndigits: int | None = None) -> SymbolicTensor:
        from fitorch.ops.registry import get_op

        return get_op("round")(self, 0 if ndigits is None else ndigits)

    def __iter__(self) -> Any:
        raise TypeError(
            f"Iterating over {self} is not possible while the model is being defined: its length is not a "
            "value yet. Index it (x[:, 0]), use fitorch.ops.unstack / ops.split, or iterate inside a layer's call()."
        )

    def __bool__(self) -> bool:
        raise TypeError(
            f"The truth value of {self} is unknown while the model is being defined; "
            "branch on values inside a layer's call() instead."
        )

    def __len__(self) -> int:
        raise TypeError(f"len() of {self} is unknown while the model is being defined; use .shape.")
