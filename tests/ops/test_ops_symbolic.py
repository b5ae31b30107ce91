"""Ops on symbolic tensors: each case as a functional model gives what the eager op gives."""

from __future__ import annotations

import pytest
import torch

import fitorch
from fitorch import layers, ops
from fitorch.ops.op_layer import OpLayer
from tests.ops.cases import CASES, Case
from tests.ops.oracle import assert_same, clone_args
from tests.ops.symbolic import is_graph_op, run, symbolic_model

# Output shapes that depend on the values cannot be inferred while defining a model.
DATA_DEPENDENT = {"bincount", "nonzero", "repeat-2"}
SYMBOLIC_CASES = [c for c in CASES if is_graph_op(c.name) and not {c.name, c.id} & DATA_DEPENDENT]


@pytest.mark.parametrize("case", SYMBOLIC_CASES, ids=lambda c: c.id)
def test_symbolic_op_equals_eager(case: Case) -> None:
    model, feeds = symbolic_model(Case(case.name, clone_args(case.args), clone_args(case.kwargs)))
    assert [m.op for m in model.modules() if isinstance(m, OpLayer)] == [case.name]
    expected = ops.get_op(case.name)(*clone_args(case.args), **clone_args(case.kwargs))
    assert_same(run(model, feeds), expected, case.id)


def test_argpartition_in_a_model_partitions() -> None:
    # argpartition is not in the Keras-oracle table (its order inside partitions is unspecified).
    x = torch.tensor([[3.0, 1.0, 2.0, 0.0], [0.5, 0.25, 0.75, 0.125]])
    inputs = layers.Input(shape=(4,))
    model = fitorch.Model(inputs, ops.argpartition(inputs, 1))
    assert torch.equal(model(x), ops.argpartition(x, 1))
    assert torch.take_along_dim(x, model(x).long(), dim=1)[:, 1].tolist() == [1.0, 0.25]
