"""Calling a module on symbolic tensors: infer the outputs and record a ``Node``.

Only fitorch layers accept symbolic tensors; a plain ``nn.Module`` joins a functional
model through ``fitorch.layers.TorchModule(module)``. Nothing in torch is patched:
``nn.Module.__call__`` stays torch's own, and fitorch layers call it directly.
"""

from __future__ import annotations

from typing import Any

from torch import Tensor, nn

from fitorch.graph.inference import infer_output_specs
from fitorch.graph.node import Node, module_name
from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.utils.tree import flatten, map_structure

#: torch's own ``nn.Module.__call__`` (hooks, then ``forward``), read once: fitorch never replaces it.
TORCH_MODULE_CALL = nn.Module.__call__


def contains_symbolic(args: tuple, kwargs: dict[str, Any]) -> bool:
    """True when any (possibly nested) argument is a ``SymbolicTensor``."""
    for value in args:
        if type(value) is Tensor:  # (the common case, first: `isinstance` of a tensor against other classes is slow)
            continue
        if isinstance(value, SymbolicTensor):
            return True
        if isinstance(value, (list, tuple, dict)) and any(isinstance(v, SymbolicTensor) for v in flatten(value)):
            return True
    return bool(kwargs) and any(isinstance(v, SymbolicTensor) for v in flatten(kwargs))


def describe_shapes(args: Any) -> str:
    """Formats the shapes of (symbolic or real) tensors in a call's arguments."""

    def _shape(value: Any) -> Any:
        if isinstance(value, SymbolicTensor):
            return value.shape
        shape = getattr(value, "shape", None)
        return tuple(shape) if shape is not None else value

    shapes = map_structure(_shape, list(args))
    return str(shapes[0] if len(shapes) == 1 else shapes)


def call_symbolically(layer: nn.Module, module: nn.Module, args: tuple, kwargs: dict[str, Any]) -> Any:
    """Records ``layer(*args, **kwargs)`` on symbolic tensors, inferring the outputs by running ``module``.

    ``layer`` owns the node (a ``TorchModule``); ``module`` is what computes (the
    plain ``nn.Module`` it wraps), run on meta tensors without its hooks.

    Raises:
        ValueError: naming the layer and the input shapes, when the module cannot
            run on inputs of these shapes.
    """
    try:
        specs = infer_output_specs(module, args, kwargs, hooks=False)
    except Exception as error:
        raise ValueError(
            f"Module {module_name(layer)!r} ({type(module).__name__}) cannot be called on inputs "
            f"with shapes {describe_shapes(args)}: {error}"
        ) from error
    return Node(layer, tuple(args), dict(kwargs), specs).outputs
