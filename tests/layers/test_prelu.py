import numpy as np
import pytest
import torch

from fitorch import initializers
from fitorch.layers.activations import PReLU
from fitorch.layers.core import Input
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize(
    "kwargs, shape",
    [
        ({"alpha_initializer": "random_normal"}, (3, 5)),
        ({"alpha_initializer": "random_uniform", "shared_axes": [1, 2]}, (2, 4, 4, 3)),
        ({"alpha_initializer": "ones", "shared_axes": 1}, (2, 6, 3)),
        ({}, (2, 3, 4)),
    ],
)
def test_prelu_matches_keras(kwargs, shape):
    layer = run_layer_test(lambda: PReLU(**kwargs), shape, lambda: keras().layers.PReLU(**kwargs))
    keras_layer = keras().layers.PReLU(**kwargs)
    keras_layer.build(shape)
    assert [w.shape for w in layer.get_weights()] == [tuple(w.shape) for w in keras_layer.get_weights()]


def test_negative_inputs_are_scaled_by_learned_alpha():
    layer = PReLU(alpha_initializer=initializers.Constant(0.25))
    y = layer(torch.tensor([[-4.0, 2.0]]))
    torch.testing.assert_close(y, torch.tensor([[-1.0, 2.0]]))
    y.sum().backward()
    torch.testing.assert_close(layer.weight.grad, torch.tensor([-4.0, 0.0]))


def test_default_alpha_is_zero_so_it_starts_as_relu():
    x = torch.randn(4, 3)
    torch.testing.assert_close(PReLU()(x), torch.relu(x))


def test_config_round_trip_is_keras_like():
    config = PReLU(shared_axes=(1, 2)).get_config()
    assert config["shared_axes"] == [1, 2]
    assert config["alpha_initializer"] == {"class_name": "Zeros", "config": {}}
    assert config["alpha_regularizer"] is None and config["alpha_constraint"] is None
    np.testing.assert_equal(PReLU.from_config(config).get_config()["shared_axes"], [1, 2])


def test_unknown_axes_must_be_shared():
    with pytest.raises(ValueError, match=r"PReLU 'p': axes \[1\] of the input have unknown size"):
        PReLU(name="p")(Input(shape=(None, 3)))
    assert PReLU(shared_axes=1)(Input(shape=(None, 3))).shape == (None, None, 3)


def test_shape_mismatch_after_build_names_layer():
    layer = PReLU(name="p2")
    layer(Input(shape=(4,)))
    with pytest.raises(ValueError, match=r"Input 0 of layer 'p2' \(PReLU\) is incompatible: expected axis 1 = 4"):
        layer(Input(shape=(5,)))


@pytest.mark.parametrize("shared_axes", [0, [1, -1], "1"])
def test_bad_shared_axes(shared_axes):
    with pytest.raises(ValueError, match=r"PReLU 'p3': shared_axes must be an int or a list of ints >= 1"):
        PReLU(shared_axes=shared_axes, name="p3")


def test_shared_axis_out_of_range():
    with pytest.raises(ValueError, match=r"PReLU 'p4': shared_axes=\[3\] is out of range"):
        PReLU(shared_axes=3, name="p4")(torch.zeros(2, 3))


def test_regularizer_and_constraint_are_refused_until_supported():
    with pytest.raises(NotImplementedError, match=r"PReLU 'p5': alpha_regularizer is not supported yet"):
        PReLU(alpha_regularizer="l2", name="p5")
    with pytest.raises(NotImplementedError, match=r"alpha_constraint is not supported yet"):
        PReLU(alpha_constraint="non_neg")
