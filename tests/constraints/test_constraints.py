"""Constraints against Keras 3 (Keras-layout weights, Keras axis semantics)."""

import json

import numpy as np
import pytest
import torch

from fitorch import constraints
from tests.layers.harness import keras


def _keras_apply(constraint, w: np.ndarray) -> np.ndarray:
    return keras().ops.convert_to_numpy(constraint(keras().ops.convert_to_tensor(w)))


CASES = [
    ("MaxNorm", {}), ("MaxNorm", {"max_value": 0.5}), ("MaxNorm", {"max_value": 1.0, "axis": 1}),
    ("MaxNorm", {"max_value": 1.5, "axis": [0, 1, 2]}), ("MinMaxNorm", {}), ("MinMaxNorm", {"min_value": 0.5, "max_value": 2.0}),
    ("MinMaxNorm", {"min_value": 1.0, "max_value": 1.5, "rate": 0.3, "axis": -1}), ("NonNeg", {}), ("UnitNorm", {}),
    ("UnitNorm", {"axis": [0, 1, 2]}), ("UnitNorm", {"axis": -1}), ("Constraint", {}),
]  # fmt: skip


# A Dense kernel (6, 4) and a Conv2D kernel (3, 3, 2, 5); axis [0, 1, 2] only exists for the conv kernel.
SHAPED = [(n, k, s) for n, k in CASES for s in [(6, 4), (3, 3, 2, 5)] if not (isinstance(k.get("axis"), list) and len(s) < 3)]


@pytest.mark.parametrize("name, kwargs, shape", SHAPED)
def test_constrained_weights_equal_keras(name, kwargs, shape):
    w = (2.0 * np.random.default_rng(2).standard_normal(shape)).astype("float32")
    ours = getattr(constraints, name)(**kwargs)(torch.from_numpy(w))
    np.testing.assert_allclose(ours.numpy(), _keras_apply(getattr(keras().constraints, name)(**kwargs), w), rtol=1e-6, atol=1e-7)


def test_max_norm_caps_column_norms_of_a_keras_dense_kernel():
    kernel = torch.randn(10, 3) * 5  # Keras layout (input_dim, units); axis=0 -> one norm per unit
    norms = constraints.MaxNorm(2.0)(kernel).norm(dim=0)
    assert bool((norms <= 2.0 + 1e-5).all())
    small = torch.full((4, 2), 0.1)
    torch.testing.assert_close(constraints.MaxNorm(2.0)(small), small, rtol=1e-5, atol=0)


def test_unit_norm_and_min_max_norm_hit_their_targets():
    w = torch.randn(8, 5)
    torch.testing.assert_close(constraints.UnitNorm()(w).norm(dim=0), torch.ones(5), rtol=1e-5, atol=1e-5)
    norms = constraints.MinMaxNorm(1.0, 2.0)(w * 10).norm(dim=0)
    assert bool(((norms >= 1 - 1e-4) & (norms <= 2 + 1e-4)).all())


def test_constraints_return_new_tensors():
    w = torch.randn(3, 3)
    before = w.clone()
    for c in (constraints.MaxNorm(0.1), constraints.NonNeg(), constraints.UnitNorm(), constraints.MinMaxNorm()):
        c(w)
    torch.testing.assert_close(w, before)


@pytest.mark.parametrize(
    "identifier, cls",
    [("max_norm", "MaxNorm"), ("MaxNorm", "MaxNorm"), ("min_max_norm", "MinMaxNorm"), ("non_neg", "NonNeg"),
     ("NonNeg", "NonNeg"), ("unit_norm", "UnitNorm"), ("constraint", "Constraint")],
)  # fmt: skip
def test_string_names_match_keras(identifier, cls):
    ours = constraints.get(identifier)
    assert type(ours).__name__ == cls == type(keras().constraints.get(identifier)).__name__
    assert ours.get_config() == keras().constraints.get(identifier).get_config()


@pytest.mark.parametrize(
    "constraint",
    [constraints.MaxNorm(3, axis=[0, 1]), constraints.MinMaxNorm(0.1, 0.9, 0.5, 1), constraints.NonNeg(), constraints.UnitNorm(2)],
)  # fmt: skip
def test_config_round_trip_and_keras_configs(constraint):
    data = json.loads(json.dumps(constraints.serialize(constraint)))
    rebuilt = constraints.get(data)
    assert type(rebuilt) is type(constraint) and rebuilt.get_config() == constraint.get_config()
    keras_version = getattr(keras().constraints, type(constraint).__name__)(**constraint.get_config())
    assert constraints.get(keras().constraints.serialize(keras_version)).get_config() == constraint.get_config()


def test_get_passes_through_instances_callables_and_none():
    c = constraints.NonNeg()
    assert constraints.get(c) is c and constraints.get(None) is None
    assert isinstance(constraints.get(constraints.UnitNorm), constraints.UnitNorm)
    assert constraints.get(torch.abs) is torch.abs
    assert {n for n in dir(keras().constraints) if not n.startswith("_")} <= set(constraints.__all__)


@pytest.mark.parametrize(
    "make, error, match",
    [(lambda: constraints.MaxNorm(-1), ValueError, r"MaxNorm: max_value must be a number >= 0.0"),
     (lambda: constraints.MaxNorm(axis="0"), ValueError, r"MaxNorm: axis must be an int or a non-empty list of ints"),
     (lambda: constraints.UnitNorm(axis=[]), ValueError, r"UnitNorm: axis must be an int or a non-empty list"),
     (lambda: constraints.MinMaxNorm(2.0, 1.0), ValueError, r"MinMaxNorm: min_value must not exceed max_value"),
     (lambda: constraints.MinMaxNorm(rate=1.5), ValueError, r"MinMaxNorm: rate must be in \[0, 1\]"),
     (lambda: constraints.get("max_nrom"), ValueError, r"Unknown constraint: 'max_nrom'. Did you mean 'max_norm'"),
     (lambda: constraints.get(2), TypeError, r"constraint: expected a name such as 'max_norm'"),
     (lambda: constraints.serialize(torch.abs), TypeError, "cannot be serialized")],
)  # fmt: skip
def test_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()
