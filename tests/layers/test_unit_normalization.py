import pytest
import torch

from fitorch.layers.normalization import UnitNormalization
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize("axis, shape", [(-1, (3, 5)), (1, (2, 3, 4)), ([1, 2], (2, 3, 4))])
def test_unit_normalization_matches_keras(axis, shape):
    run_layer_test(lambda: UnitNormalization(axis=axis), shape, lambda: keras().layers.UnitNormalization(axis=axis))


def test_norm_is_one_and_zero_stays_zero():
    y = UnitNormalization()(torch.tensor([[3.0, 4.0], [0.0, 0.0]]))
    torch.testing.assert_close(y, torch.tensor([[0.6, 0.8], [0.0, 0.0]]))


def test_bad_axis_type():
    with pytest.raises(TypeError, match=r"UnitNormalization 'un': axis must be an int or a non-empty list of ints; "
                       r"received axis='x'"):
        UnitNormalization(axis="x", name="un")


def test_axis_out_of_bounds_is_explained():
    with pytest.raises(ValueError, match=r"axis 3 is out of bounds for inputs of rank 2 \(received shape \(2, 4\)\)"):
        UnitNormalization(axis=3)(torch.zeros(2, 4))
