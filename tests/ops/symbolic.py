"""Builds functional models from op cases: tensor arguments become ``Input``s."""

from __future__ import annotations

from typing import Any

import torch

import fitorch
from fitorch import layers, ops
from fitorch.ops.registry import EAGER_OPS, OPS
from tests.ops.cases import Case


def is_graph_op(name: str) -> bool:
    """True for ops that record graph nodes on symbolic tensors."""
    return OPS[name] is not EAGER_OPS[name]


def symbolic_model(case: Case) -> tuple[fitorch.Model, list[torch.Tensor]]:
    """A model whose inputs are the case's (non-scalar) tensor arguments, and the tensors to feed it."""
    inputs: list[Any] = []
    feeds: list[torch.Tensor] = []

    def swap(value: Any) -> Any:
        if isinstance(value, torch.Tensor) and value.ndim > 0:
            symbolic = layers.Input(shape=tuple(value.shape[1:]), batch_size=value.shape[0], dtype=value.dtype)
            inputs.append(symbolic)
            feeds.append(value)
            return symbolic
        if isinstance(value, (list, tuple)) and any(isinstance(v, torch.Tensor) for v in value):
            return type(value)(swap(v) for v in value)
        return value

    args = [swap(a) for a in case.args]
    outputs = ops.get_op(case.name)(*args, **case.kwargs)
    model = fitorch.Model(inputs if len(inputs) > 1 else inputs[0], outputs)
    return model, feeds


def run(model: fitorch.Model, feeds: list[torch.Tensor]) -> Any:
    return model(feeds if len(feeds) > 1 else feeds[0])
