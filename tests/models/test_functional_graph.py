"""Building functional graphs: deep chains and disconnected graphs."""

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers


def test_a_chain_of_1500_layers_builds_and_runs():
    # Building used recursion and stopped with RecursionError near 1,000 layers.
    x = inp = layers.Input(shape=(3,))
    for _ in range(1500):
        x = layers.Identity()(x)
    x = layers.Dense(2)(x)
    model = fitorch.Model(inp, x)
    assert len(model.layers) == 1502
    data = np.random.rand(4, 3).astype("float32")
    dense = model.layers[-1]
    expected = torch.nn.functional.linear(torch.from_numpy(data), dense.weight, dense.bias)
    np.testing.assert_allclose(model.predict(data, verbose=0), expected.detach().numpy(), rtol=1e-6)


def test_a_disconnected_graph_names_the_path_to_the_missing_input():
    a, b = layers.Input(shape=(4,)), layers.Input(shape=(4,))
    x = layers.Dense(3, name="reads_b")(b)
    y = layers.Add(name="joins")([layers.Dense(3)(a), x])
    z = layers.Dense(2, name="head")(y)
    with pytest.raises(ValueError, match=r"Graph disconnected.*needed by reads_b -> joins -> head"):
        fitorch.Model(a, z)


def test_a_layer_called_twice_is_listed_once_like_keras():
    import keras

    listed = []
    for k in (fitorch, keras):
        inputs = k.Input(shape=(3,))
        shared = k.layers.Dense(3, name="shared")
        model = k.Model(inputs, shared(shared(inputs)))
        listed.append([layer.name for layer in model.layers][1:])
    assert listed[0] == listed[1] == ["shared"]
