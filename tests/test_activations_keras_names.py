"""The activations added for Keras 3.15 parity (``celu`` ... ``threshold``, ``deserialize``) against Keras (torch)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch

import fitorch
from fitorch import activations

CASES = [
    ("celu", {}), ("celu", {"alpha": 0.5}), ("glu", {}), ("glu", {"axis": 1}), ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.2}), ("hard_tanh", {}), ("log_sigmoid", {}), ("soft_shrink", {}),
    ("soft_shrink", {"threshold": 0.9}), ("sparse_plus", {}), ("sparse_sigmoid", {}), ("squareplus", {}),
    ("squareplus", {"b": 1.5}), ("tanh_shrink", {}), ("threshold", {"threshold": 0.3, "default_value": -2.0}),
    ("swish", {}), ("hard_swish", {}),
]  # fmt: skip
NEW = ["celu", "glu", "hard_shrink", "hard_swish", "hard_tanh", "log_sigmoid", "soft_shrink", "sparse_plus",
       "sparse_sigmoid", "sparsemax", "squareplus", "swish", "tanh_shrink", "threshold"]  # fmt: skip


def _keras():
    import keras

    return keras


def _x() -> torch.Tensor:
    return torch.randn(3, 4, 6) * 3


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_activation_matches_keras(name: str, kwargs: dict) -> None:
    x = _x()
    expected = torch.as_tensor(getattr(_keras().activations, name)(x.clone(), **kwargs))
    torch.testing.assert_close(getattr(activations, name)(x, **kwargs), expected)


def _sparsemax_reference(x: np.ndarray, axis: int) -> np.ndarray:
    """Sparsemax by its definition (Martins & Astudillo 2016, Algorithm 1), one vector at a time."""
    moved = np.moveaxis(x, axis, -1)
    out = np.empty_like(moved)
    for index in np.ndindex(moved.shape[:-1]):
        z = moved[index]
        z_sorted = np.sort(z)[::-1]
        k = np.arange(1, z.size + 1)
        cumulative = np.cumsum(z_sorted)
        k_z = k[1 + k * z_sorted > cumulative].max()
        tau = (cumulative[k_z - 1] - 1) / k_z
        out[index] = np.maximum(z - tau, 0)
    return np.moveaxis(out, -1, axis)


@pytest.mark.parametrize("axis", [-1, 1])
def test_sparsemax_matches_its_definition(axis: int) -> None:
    # Keras 3.15's torch backend computes a wrong threshold (its rows do not sum to 1), so the
    # oracle here is the published algorithm in NumPy.
    x = _x()
    result = activations.sparsemax(x, axis=axis)
    np.testing.assert_allclose(result.numpy(), _sparsemax_reference(x.double().numpy(), axis), rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(result.sum(axis), torch.ones_like(result.sum(axis)))


@pytest.mark.parametrize("name", NEW)
def test_signature_equals_keras(name: str) -> None:
    ours = inspect.signature(getattr(activations, name)).parameters
    theirs = inspect.signature(getattr(_keras().activations, name)).parameters
    assert [(p.name, p.default) for p in ours.values()] == [(p.name, p.default) for p in theirs.values()]


@pytest.mark.parametrize("name", NEW)
def test_name_serializes_as_keras(name: str) -> None:
    keras = _keras()
    function = activations.get(name)
    assert activations.serialize(function) == keras.activations.serialize(keras.activations.get(name))
    assert activations.deserialize(activations.serialize(function)) is function


def test_aliases_are_the_same_functions_as_in_keras() -> None:
    assert activations.swish is activations.silu and activations.hard_swish is activations.hard_silu


@pytest.mark.parametrize("name", ["celu", "swish", "hard_swish", "sparse_plus", "log_sigmoid", "squareplus"])
def test_dense_with_string_activation_matches_keras(name: str) -> None:
    keras = _keras()
    ours, theirs = fitorch.layers.Dense(4, activation=name), keras.layers.Dense(4, activation=name)
    x = torch.randn(5, 3)
    ours(x), theirs.build((5, 3))
    theirs.set_weights([np.asarray(w) for w in ours.get_weights()])
    torch.testing.assert_close(ours(x), torch.as_tensor(theirs(x)))
    assert ours.get_config()["activation"] == theirs.get_config()["activation"]
    assert fitorch.layers.Dense.from_config(ours.get_config()).activation is ours.activation


@pytest.mark.parametrize("name", ["celu", "glu", "hard_tanh", "soft_shrink", "tanh_shrink", "sparse_sigmoid", "swish"])
def test_activation_layer_matches_keras(name: str) -> None:
    keras = _keras()
    x = _x()
    ours = fitorch.layers.Activation(name)
    torch.testing.assert_close(ours(x), torch.as_tensor(keras.layers.Activation(name)(x)))
    assert ours.get_config()["activation"] == keras.layers.Activation(name).get_config()["activation"]


def test_deserialize_reads_keras_function_configs() -> None:
    from keras.saving import serialize_keras_object

    keras = _keras()
    for name in ["celu", "squareplus", "swish"]:
        config = serialize_keras_object(keras.activations.get(name))
        assert activations.deserialize(config) is activations.get(name)
        assert activations.get(config) is activations.get(name)


def test_deserialize_prefers_custom_objects() -> None:
    def my_activation(x: torch.Tensor) -> torch.Tensor:
        return x * 2

    assert activations.deserialize("my_activation", custom_objects={"my_activation": my_activation}) is my_activation
    assert activations.deserialize("celu", custom_objects={"other": my_activation}) is activations.celu


def test_deserialize_rejects_unknown_names_and_bad_types() -> None:
    with pytest.raises(ValueError, match="Unknown activation: 'cellu'. Did you mean 'celu'"):
        activations.deserialize("cellu")
    with pytest.raises(TypeError, match=r"activations.deserialize: expected an activation name .* received 3"):
        activations.deserialize(3)


def test_glu_needs_an_even_axis() -> None:
    with pytest.raises(ValueError, match=r"activations.glu: axis=-1 must have an even size .* received size 5"):
        activations.glu(torch.ones(2, 5))


def test_squareplus_rejects_negative_b() -> None:
    with pytest.raises(ValueError, match=r"activations.squareplus: b must be non-negative; received b=-1"):
        activations.squareplus(torch.ones(2), b=-1)


def test_threshold_needs_its_arguments() -> None:
    with pytest.raises(TypeError, match="threshold"):
        activations.threshold(torch.ones(2))
