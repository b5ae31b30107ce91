import numpy as np
import pytest
import torch

from fitorch.layers.activations import ReLU
from tests.layers.harness import keras, run_layer_test

CONFIGS = [
    {},
    {"max_value": 6.0},
    {"max_value": 1.5},
    {"negative_slope": 0.2},
    {"threshold": 0.5},
    {"max_value": 1.0, "negative_slope": 0.3},
    {"threshold": 0.4, "negative_slope": 0.1},
    {"max_value": 1.2, "negative_slope": 0.5, "threshold": 0.3},
    {"max_value": 6, "threshold": 0.2},
]


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_relu_matches_keras(kwargs):
    run_layer_test(lambda: ReLU(**kwargs), (3, 4, 5), lambda: keras().layers.ReLU(**kwargs))


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_relu_matches_keras_at_the_edges(kwargs):
    # Values exactly at 0, the threshold and the cap, where the branches meet.
    x = np.array([[-2.0, -0.0, 0.0, 0.2, 0.3, 0.4, 0.5, 1.0, 1.2, 1.5, 6.0, 7.0]], dtype="float32")
    expected = keras().ops.convert_to_numpy(keras().layers.ReLU(**kwargs)(x))
    np.testing.assert_allclose(ReLU(**kwargs)(torch.from_numpy(x)).numpy(), expected, rtol=1e-6, atol=1e-7)


def test_gradients_flow_through_the_general_case():
    x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    ReLU(max_value=1.0, negative_slope=0.1, threshold=0.2)(x).sum().backward()
    torch.testing.assert_close(x.grad, torch.tensor([0.1, 1.0, 0.0]))


@pytest.mark.parametrize(
    "kwargs, name",
    [({"max_value": -1.0}, "max_value"), ({"negative_slope": -0.1}, "negative_slope"),
     ({"negative_slope": None}, "negative_slope"), ({"threshold": -2.0}, "threshold"), ({"threshold": None}, "threshold")],
)  # fmt: skip
def test_invalid_arguments_name_layer_and_argument(kwargs, name):
    with pytest.raises(ValueError, match=rf"ReLU 'r': {name} must be a float >= 0"):
        ReLU(name="r", **kwargs)
