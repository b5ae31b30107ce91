"""Regularizers against Keras 3: identical penalties, names, configs and errors."""

import json

import numpy as np
import pytest
import torch

from fitorch import regularizers
from tests.layers.harness import keras


def _keras_penalty(regularizer, w: np.ndarray) -> float:
    return float(keras().ops.convert_to_numpy(regularizer(keras().ops.convert_to_tensor(w))))


ELEMENTWISE = [("L1", {}), ("L1", {"l1": 0.3}), ("L2", {}), ("L2", {"l2": 0.05}), ("L1L2", {}), ("L1L2", {"l1": 0.01}),
               ("L1L2", {"l2": 0.2}), ("L1L2", {"l1": 0.1, "l2": 0.02})]  # fmt: skip
ORTHOGONAL = [("OrthogonalRegularizer", {}), ("OrthogonalRegularizer", {"factor": 0.5, "mode": "columns"})]
CASES = [(n, k, s) for n, k in ELEMENTWISE for s in [(7, 5), (5, 7), (3, 3, 4, 2)]]
CASES += [(n, k, s) for n, k in ORTHOGONAL for s in [(7, 5), (5, 7)]]  # rank-2 weights only


@pytest.mark.parametrize("name, kwargs, shape", CASES)
def test_penalty_equals_keras(name, kwargs, shape):
    w = np.random.default_rng(1).standard_normal(shape).astype("float32")
    ours = getattr(regularizers, name)(**kwargs)(torch.from_numpy(w))
    theirs = _keras_penalty(getattr(keras().regularizers, name)(**kwargs), w)
    assert ours.dtype == torch.float32 and ours.ndim == 0
    np.testing.assert_allclose(float(ours), theirs, rtol=1e-5, atol=1e-7)


def test_l2_doc_example_and_gradient():
    w = torch.ones(3, 4, requires_grad=True)
    penalty = regularizers.L2(0.01)(w)
    np.testing.assert_allclose(penalty.detach().item(), 0.12, rtol=1e-6)
    penalty.backward()
    torch.testing.assert_close(w.grad, torch.full((3, 4), 0.02))


def test_orthogonal_regularizer_is_zero_for_orthogonal_rows_and_uses_keras_layout():
    q = torch.linalg.qr(torch.randn(6, 6))[0]
    assert float(regularizers.OrthogonalRegularizer(1.0)(q)) < 1e-6
    # A Dense kernel in Keras layout is fitorch's weight.T: mode='rows' on the Keras view
    # equals mode='columns' on the torch-layout weight.
    weight = torch.randn(4, 9)  # fitorch Dense weight (units, input_dim)
    torch.testing.assert_close(
        regularizers.OrthogonalRegularizer(0.3, mode="rows")(weight.T),
        regularizers.OrthogonalRegularizer(0.3, mode="columns")(weight),
    )


def test_zero_vectors_do_not_give_nan():
    w = torch.zeros(3, 4)
    w[0, 0] = 1.0
    assert torch.isfinite(regularizers.OrthogonalRegularizer()(w))
    np.testing.assert_allclose(
        float(regularizers.OrthogonalRegularizer()(w)), _keras_penalty(keras().regularizers.OrthogonalRegularizer(), w.numpy())
    )


def test_base_regularizer_is_zero():
    assert float(regularizers.Regularizer()(torch.ones(3))) == 0.0


@pytest.mark.parametrize(
    "identifier, expected",
    [("l1", regularizers.L1(0.01)), ("L1", regularizers.L1(0.01)), ("l2", regularizers.L2(0.01)),
     ("l1_l2", regularizers.L1L2(0.01, 0.01)), ("L1L2", regularizers.L1L2()), ("l1l2", regularizers.L1L2()),
     ("orthogonal_regularizer", regularizers.OrthogonalRegularizer()), ("OrthogonalRegularizer", regularizers.OrthogonalRegularizer())],
)  # fmt: skip
def test_string_names(identifier, expected):
    got = regularizers.get(identifier)
    assert type(got) is type(expected) and got.get_config() == expected.get_config()


def test_string_defaults_match_keras_where_keras_resolves_them():
    for name in ("l1", "l2", "L1L2", "orthogonal_regularizer"):
        ours = regularizers.get(name).get_config()
        theirs = keras().regularizers.get(name).get_config()
        assert ours.keys() == theirs.keys()
        for key in ours:
            value = ours[key]
            assert value == theirs[key] if isinstance(value, str) else np.isclose(value, theirs[key])


@pytest.mark.parametrize(
    "regularizer",
    [regularizers.L1(0.2), regularizers.L2(0.3), regularizers.L1L2(0.1, 0.4), regularizers.OrthogonalRegularizer(0.2, "columns")],
)  # fmt: skip
def test_config_round_trip_through_json_and_keras_configs(regularizer):
    data = json.loads(json.dumps(regularizers.serialize(regularizer)))
    rebuilt = regularizers.get(data)
    assert type(rebuilt) is type(regularizer) and rebuilt.get_config() == regularizer.get_config()
    keras_version = getattr(keras().regularizers, type(regularizer).__name__)(**regularizer.get_config())
    from_keras = regularizers.get(keras().regularizers.serialize(keras_version))
    assert type(from_keras) is type(regularizer)
    np.testing.assert_allclose(list(from_keras.get_config().values())[0], list(regularizer.get_config().values())[0], rtol=1e-6)


def test_get_passes_through_instances_callables_and_none():
    r = regularizers.L2()
    assert regularizers.get(r) is r
    assert regularizers.get(None) is None
    assert isinstance(regularizers.get(regularizers.L1), regularizers.L1)
    fn = torch.sum
    assert regularizers.get(fn) is fn
    assert regularizers.serialize(None) is None


def test_lowercase_aliases_are_keras_names():
    assert {n for n in dir(keras().regularizers) if not n.startswith("_")} <= set(regularizers.__all__)
    assert regularizers.l2 is regularizers.L2 and regularizers.l1_l2 is regularizers.L1L2


@pytest.mark.parametrize(
    "make, error, match",
    [(lambda: regularizers.L1(-0.1), ValueError, r"L1: l1 must be a non-negative float; received l1=-0.1"),
     (lambda: regularizers.L2(float("inf")), ValueError, r"L2: l2 must be a non-negative float"),
     (lambda: regularizers.L1L2(l1="0.1"), ValueError, r"L1L2: l1 must be a non-negative float"),
     (lambda: regularizers.OrthogonalRegularizer(mode="diag"), ValueError, r"mode must be 'rows' or 'columns'"),
     (lambda: regularizers.OrthogonalRegularizer()(torch.ones(2, 2, 2)), ValueError, r"the weight must have rank 2 \(Keras layout\)"),
     (lambda: regularizers.OrthogonalRegularizer()(torch.ones(1, 5)), ValueError, r"mode='rows' needs at least 2 rows"),
     (lambda: regularizers.get("l3"), ValueError, r"Unknown regularizer: 'l3'. Did you mean"),
     (lambda: regularizers.get(0.1), TypeError, r"regularizer: expected a name such as 'l2'"),
     (lambda: regularizers.get({"config": {}}), ValueError, r"a config must be a dict with 'class_name'"),
     (lambda: regularizers.serialize(torch.sum), TypeError, r"cannot be serialized"),
     (lambda: regularizers.Regularizer().get_config(), NotImplementedError, r"does not implement get_config")],
)  # fmt: skip
def test_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()
