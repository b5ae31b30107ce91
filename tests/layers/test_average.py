import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.merging import Average
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize(
    "input_shapes",
    [[(2, 3, 4), (2, 3, 4)], [(2, 3, 4), (2, 1, 4), (2, 3, 1)], [(2, 3, 4), (2, 4)], [(4, 5)] * 4],
)
def test_average_matches_keras(input_shapes):
    run_layer_test(Average, input_shapes, lambda: keras().layers.Average())


def test_symbolic_shape_broadcasts():
    assert Average()([Input(shape=(3, 1)), Input(shape=(1, 4))]).shape == (None, 3, 4)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Average 'avg': expected a list of at least 2 tensors; received 1 input"):
        Average(name="avg")([Input(shape=(3,))])
    with pytest.raises(ValueError, match=r"Average 'avg2': inputs have different batch sizes"):
        Average(name="avg2")([torch.zeros(2, 3), torch.zeros(3, 3)])
