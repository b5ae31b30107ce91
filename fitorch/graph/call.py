"""Calling a module on symbolic tensors: infer the outputs and record a ``Node``."""

from __future__ import annotations

from typing import Any

from torch import nn

from fitorch.graph.inference import infer_output_specs
from fitorch.graph.node import Node, module_name
from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.utils.tree import map_structure


def describe_shapes(args: Any) -> str:
    """Formats the shapes of (symbolic or real) tensors in a call's arguments."""

    def _shape(value: Any) -> Any:
        if isinstance(value, SymbolicTensor):
            return value.shape
        shape = getattr(value, "shape", None)
        return tuple(shape) if shape is not None else value

    shapes = map_structure(_shape, list(args))
    return str(shapes[0] if len(shapes) == 1 else shapes)


def call_symbolically(module: nn.Module, args: tuple, kwargs: dict[str, Any]) -> Any:
    """Records ``module(*args, **kwargs)`` on symbolic tensors and returns its symbolic outputs.

    fitorch layers build themselves and check their inputs first (``Layer``
    overrides this path); plain modules go straight to meta-device inference.

    Raises:
        ValueError: naming the module and the input shapes, when the module cannot
            run on inputs of these shapes.
    """
    try:
        specs = infer_output_specs(module, args, kwargs)
    except Exception as error:
        raise ValueError(
            f"Module {module_name(module)!r} ({type(module).__name__}) cannot be called on inputs "
            f"with shapes {describe_shapes(args)}: {error}"
        ) from error
    return Node(module, tuple(args), dict(kwargs), specs).outputs
