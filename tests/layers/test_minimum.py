import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.merging import Minimum
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize("input_shapes", [[(2, 3, 4), (2, 3, 4)], [(2, 3, 4), (2, 1, 4), (2, 3, 1)], [(2, 3, 4), (2, 4)]])
def test_minimum_matches_keras(input_shapes):
    run_layer_test(Minimum, input_shapes, lambda: keras().layers.Minimum())


def test_values():
    torch.testing.assert_close(
        Minimum()([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]]), torch.tensor([[0.0, 9.0]])]),
        torch.tensor([[0.0, 2.0]]),
    )


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Minimum 'mn': inputs have incompatible shapes"):
        Minimum(name="mn")([Input(shape=(3,)), Input(shape=(2,))])
    with pytest.raises(ValueError, match=r"e.g. Minimum\(\)\(\[x1, x2\]\); received a single tensor of shape \(2, 3\)"):
        Minimum()(torch.zeros(2, 3))
