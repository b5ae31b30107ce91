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


def _binary_op(name: str, reflected: bool = False) -> Any:
    """A dunder that records ``fitorch.ops.<name>(self, other)`` (``(other, self)`` when reflected)."""

    def method(self: SymbolicTensor, other: Any) -> Any:
        from fitorch.ops.registry import get_op

        return get_op(name)(other, self) if reflected else get_op(name)(self, other)

    method.__name__ = f"__{'r' if reflected else ''}{name}__"
    return method


def _unary_op(name: str) -> Any:
    """A dunder that records ``fitorch.ops.<name>(self)``."""

    def method(self: SymbolicTensor) -> Any:
        from fitorch.ops.registry import get_op

        return get_op(name)(self)

    method.__name__ = f"__{name}__"
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

    # Python operators record fitorch.ops nodes (an OpLayer each), as Keras' KerasTensor does.
    # `==` and `!=` keep their identity meaning: graph code compares and hashes symbolic tensors.
    __add__ = _binary_op("add")
    __radd__ = _binary_op("add", reflected=True)
    __sub__ = _binary_op("subtract")
    __rsub__ = _binary_op("subtract", reflected=True)
    __mul__ = _binary_op("multiply")
    __rmul__ = _binary_op("multiply", reflected=True)
    __truediv__ = _binary_op("divide")
    __rtruediv__ = _binary_op("divide", reflected=True)
    __floordiv__ = _binary_op("floor_divide")
    __rfloordiv__ = _binary_op("floor_divide", reflected=True)
    __mod__ = _binary_op("mod")
    __rmod__ = _binary_op("mod", reflected=True)
    __pow__ = _binary_op("power")
    __rpow__ = _binary_op("power", reflected=True)
    __matmul__ = _binary_op("matmul")
    __rmatmul__ = _binary_op("matmul", reflected=True)
    __lt__ = _binary_op("less")
    __le__ = _binary_op("less_equal")
    __gt__ = _binary_op("greater")
    __ge__ = _binary_op("greater_equal")
    __and__ = _binary_op("logical_and")
    __rand__ = _binary_op("logical_and", reflected=True)
    __or__ = _binary_op("logical_or")
    __ror__ = _binary_op("logical_or", reflected=True)
    __xor__ = _binary_op("logical_xor")
    __rxor__ = _binary_op("logical_xor", reflected=True)
    __neg__ = _unary_op("negative")
    __abs__ = _unary_op("abs")
    __invert__ = _unary_op("logical_not")
    __getitem__ = _binary_op("get_item")

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
