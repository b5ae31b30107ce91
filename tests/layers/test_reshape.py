import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.reshaping import Reshape
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize(
    "input_shape, target_shape", [((2, 12), (3, 4)), ((2, 12), (-1, 2, 2)), ((3, 2, 6), (12,))]
)
def test_reshape_matches_keras(input_shape, target_shape):
    run_layer_test(
        lambda: Reshape(target_shape),
        input_shape,
        lambda: keras().layers.Reshape(target_shape),
    )


def test_symbolic_shape_resolves_minus_one():
    assert Reshape((-1, 2))(Input(shape=(3, 4))).shape == (None, 6, 2)


def test_unknown_input_axis_leaves_minus_one_unknown():
    assert Reshape((-1, 2))(Input(shape=(None, 4))).shape == (None, None, 2)


def test_contiguous_input_gives_a_view():
    x = torch.randn(2, 12)
    assert Reshape((3, 4))(x).data_ptr() == x.data_ptr()


def test_size_mismatch_fails_at_definition_naming_layer_and_shapes():
    with pytest.raises(
        ValueError,
        match=r"Reshape 'r': cannot reshape inputs of shape \(None, 12\) to target_shape "
        r"\(5, 2\)",
    ):
        Reshape((5, 2), name="r")(Input(shape=(12,)))


def test_minus_one_that_cannot_divide_fails_at_definition():
    with pytest.raises(
        ValueError, match=r"cannot reshape inputs of shape \(None, 3, 3\) to target_shape \(-1, 2\)"
    ):
        Reshape((-1, 2))(Input(shape=(3, 3)))


@pytest.mark.parametrize("target_shape", [(-1, -1), (0, 3), (2.0, 3), "ab"])
def test_bad_target_shape(target_shape):
    with pytest.raises(ValueError, match="Reshape 'reshape.*': .*target_shape"):
        Reshape(target_shape)
