"""``SymbolicTensor``: the placeholder that flows through a functional model definition.

It carries a shape (``None`` for unknown dimensions, the batch first), a dtype and
the node that produced it, and holds no data. Calling any layer, or any plain
``nn.Module``, on it records a ``Node``; ``Model(inputs, outputs)`` walks those nodes.

Example:
    >>> from fitorch import layers
    >>> x = layers.Input(shape=(8,), name="features")
    >>> x
    <SymbolicTensor shape=(None, 8) dtype=float32 from 'features' (InputLayer)>
    >>> x.shape, x.ndim
    ((None, 8), 2)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:
    from fitorch.graph.node import Node

Shape = tuple[int | None, ...]

_TORCH_OP_MESSAGE = (
    "{op} received a SymbolicTensor {tensor}. Symbolic tensors only describe a model being "
    "defined and hold no values, so torch functions cannot run on them directly. Put the "
    "computation in a layer: fitorch.layers.Lambda(lambda x: ...) or a Layer/nn.Module subclass, "
    "and call that on the symbolic tensor."
)


def dtype_name(dtype: torch.dtype) -> str:
    """``torch.float32`` -> ``'float32'``."""
    return str(dtype).removeprefix("torch.")


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
        # Plain nn.Modules learn to accept symbolic tensors the first time one exists.
        from fitorch.graph.torch_modules import enable_symbolic_module_calls

        enable_symbolic_module_calls()

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

    # Torch functions and Python operators cannot run on a placeholder; say what to do instead.
    @classmethod
    def __torch_function__(cls, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        tensor = next((a for a in args if isinstance(a, SymbolicTensor)), "")
        raise TypeError(_TORCH_OP_MESSAGE.format(op=getattr(func, "__name__", str(func)), tensor=tensor))

    def _operator(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(_TORCH_OP_MESSAGE.format(op="A Python operator", tensor=self))

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _operator
    __truediv__ = __rtruediv__ = __matmul__ = __rmatmul__ = __pow__ = __neg__ = _operator
    __getitem__ = _operator

    def __bool__(self) -> bool:
        raise TypeError(
            f"The truth value of {self} is unknown while the model is being defined; "
            "branch on values inside a layer's call() instead."
        )

    def __len__(self) -> int:
        raise TypeError(f"len() of {self} is unknown while the model is being defined; use .shape.")
