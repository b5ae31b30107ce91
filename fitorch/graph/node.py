"""``Node``: one call of a layer (or plain ``nn.Module``) on symbolic tensors.

A node remembers the module, the call's arguments (with the symbolic tensors in
place) and the symbolic outputs. A functional model is the set of nodes between its
inputs and outputs.
"""

from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from fitorch.graph.symbolic_tensor import Shape, SymbolicTensor
from fitorch.utils.naming import to_snake_case, unique_name
from fitorch.utils.tree import flatten, map_structure

# Every node, per module, in call order; weak so modules are freed normally.
_NODES: weakref.WeakKeyDictionary[nn.Module, list[Node]] = weakref.WeakKeyDictionary()
# Default names for plain nn.Modules called on symbolic tensors (Layers carry their own).
_PLAIN_NAMES: weakref.WeakKeyDictionary[nn.Module, str] = weakref.WeakKeyDictionary()


def module_name(module: nn.Module) -> str:
    """A layer's ``name``; for a plain module, a unique snake_case name given on first use."""
    name = getattr(module, "name", None)
    if isinstance(name, str):
        return name
    if module not in _PLAIN_NAMES:
        _PLAIN_NAMES[module] = unique_name(to_snake_case(type(module).__name__))
    return _PLAIN_NAMES[module]


def inbound_nodes(module: nn.Module) -> list[Node]:
    """The nodes recorded for ``module``, oldest first."""
    return _NODES.get(module, [])


@dataclass(frozen=True)
class TensorSpec:
    """The shape (``None`` where unknown) and dtype of one output, before it exists."""

    shape: Shape
    dtype: torch.dtype


class Node:
    """A recorded call ``outputs = module(*args, **kwargs)`` on symbolic tensors.

    Args:
        module: the layer or module that was called.
        args: positional arguments, symbolic tensors in place.
        kwargs: keyword arguments, symbolic tensors in place.
        output_specs: the output structure with ``TensorSpec`` leaves.
    """

    def __init__(
        self, module: nn.Module, args: tuple, kwargs: dict[str, Any], output_specs: Any
    ) -> None:
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
        _NODES.setdefault(module, []).append(self)

    @property
    def parent_nodes(self) -> list[Node]:
        return [t.node for t in self.input_tensors if t.node is not None]

    @property
    def input_shapes(self) -> Any:
        return map_structure(lambda t: t.shape if isinstance(t, SymbolicTensor) else t, self.args)
