"""``Node``: one call of a layer on symbolic tensors.

A node remembers the layer, the call's arguments (with the symbolic tensors in
place) and the symbolic outputs. A functional model is the set of nodes between its
inputs and outputs.

Nodes live on the layer that was called, as Keras keeps ``_inbound_nodes`` on the
operation: in the layer's ``__dict__`` (so not in ``state_dict()`` or ``modules()``),
never in a module-level table. A layer and its nodes refer to each other, a cycle
that Python's garbage collector frees with the model.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from fitorch.graph.symbolic_tensor import Shape, SymbolicTensor
from fitorch.utils.naming import to_snake_case
from fitorch.utils.tree import flatten, map_structure

#: The key of a layer's ``__dict__`` that holds its nodes (Keras' name for them).
NODES_KEY = "_inbound_nodes"


def module_name(module: nn.Module) -> str:
    """A layer's ``name``; for a plain module (e.g. a subclassed model's child), its snake_case class name."""
    name = getattr(module, "name", None)
    if isinstance(name, str):
        return name
    return to_snake_case(type(module).__name__)


def inbound_nodes(module: nn.Module) -> list[Node]:
    """The nodes recorded for ``module``, oldest first."""
    return module.__dict__.get(NODES_KEY, [])


@dataclass(frozen=True)
class TensorSpec:
    """The shape (``None`` where unknown) and dtype of one output, before it exists."""

    shape: Shape
    dtype: torch.dtype


class Node:
    """A recorded call ``outputs = module(*args, **kwargs)`` on symbolic tensors.

    Args:
        module: the layer that was called.
        args: positional arguments, symbolic tensors in place.
        kwargs: keyword arguments, symbolic tensors in place.
        output_specs: the output structure with ``TensorSpec`` leaves.
    """

    def __init__(self, module: nn.Module, args: tuple, kwargs: dict[str, Any], output_specs: Any) -> None:
        self.module = module
        self.args = args
        self.kwargs = kwargs
        self.input_tensors: list[SymbolicTensor] = [
            leaf for leaf in flatten((list(args), kwargs)) if isinstance(leaf, SymbolicTensor)
        ]
        counter = itertools.count()
        self.outputs = map_structure(
            lambda spec: SymbolicTensor(spec.shape, spec.dtype, node=self, index=next(counter)), output_specs
        )
        self.output_tensors: list[SymbolicTensor] = flatten(self.outputs)
        module.__dict__.setdefault(NODES_KEY, []).append(self)

    @property
    def parent_nodes(self) -> list[Node]:
        return [t.node for t in self.input_tensors if t.node is not None]

    @property
    def input_shapes(self) -> Any:
        return map_structure(lambda t: t.shape if isinstance(t, SymbolicTensor) else t, self.args)
