import numpy as np
import pytest
import torch
from torch import nn

from fitorch import layers
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize("activation", ["relu", "softmax", None])
@pytest.mark.parametrize("use_bias", [True, False])
def test_dense_matches_keras(activation, use_bias):
    run_layer_test(
        lambda: layers.Dense(5, activation=activation, use_bias=use_bias),
        (4, 3),
        lambda: keras().layers.Dense(5, activation=activation, use_bias=use_bias),
    )


def test_dense_on_rank_3_inputs_matches_keras():
    run_layer_test(lambda: layers.Dense(6), (2, 7, 3), lambda: keras().layers.Dense(6))


def test_dense_state_dict_loads_into_nn_linear():
    dense = layers.Dense(4)
    x = torch.randn(5, 3)
    out = dense(x)
    linear = nn.Linear(3, 4)
    linear.load_state_dict(dense.state_dict())
    torch.testing.assert_close(linear(x), out)


def test_dense_keras_defaults_glorot_uniform_and_zero_bias():
    dense = layers.Dense(200)
    dense(torch.zeros(1, 300))
    limit = np.sqrt(6 / (300 + 200))
    assert float(dense.weight.abs().max()) <= limit
    assert float(dense.weight.abs().max()) > 0.9 * limit
    assert torch.count_nonzero(dense.bias) == 0


def test_dense_rejects_bad_units():
    with pytest.raises(ValueError, match="units must be a positive int; received units=0"):
        layers.Dense(0)


def test_dense_symbolic_mismatch_names_layer_and_shapes():
    dense = layers.Dense(3, name="head")
    dense(layers.Input(shape=(64,)))
    with pytest.raises(ValueError, match=r"layer 'head' \(Dense\) is incompatible: expected last axis = 64, "
                       r"received shape \(None, 128\)"):
        dense(layers.Input(shape=(128,)))


def test_dense_eager_mismatch_names_layer_and_shapes():
    dense = layers.Dense(3, name="head2")
    dense(torch.zeros(2, 64))
    with pytest.raises(ValueError, match=r"'head2' \(Dense\) is incompatible: expected last axis = 64, received shape \(2, 128\)"):
        dense(torch.zeros(2, 128))


def test_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        layers.Dense(3, unitz=4)
