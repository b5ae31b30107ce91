import numpy as np
import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.merging import Concatenate
from tests.layers.harness import assert_masked_sequence_model_matches_keras, keras, merged_masks, run_layer_test


@pytest.mark.parametrize(
    "input_shapes, axis",
    [([(2, 3), (2, 4)], -1), ([(2, 2, 5), (2, 1, 5), (2, 3, 5)], 1), ([(2, 3, 4), (2, 3, 4)], -2)],
)
def test_concatenate_matches_keras(input_shapes, axis):
    run_layer_test(lambda: Concatenate(axis=axis), input_shapes, lambda: keras().layers.Concatenate(axis=axis))


def test_symbolic_output_shape():
    assert Concatenate()([Input(shape=(4, 3)), Input(shape=(4, 5))]).shape == (None, 4, 8)
    assert Concatenate(axis=1)([Input(shape=(None, 3)), Input(shape=(4, 3))]).shape == (None, None, 3)
    assert Concatenate()([Input(shape=(None, 3)), Input(shape=(4, 3))]).shape == (None, 4, 6)


def test_mismatched_shapes_fail_at_definition_naming_layer_and_all_shapes():
    with pytest.raises(
        ValueError,
        match=r"Concatenate 'cat': inputs must match on every axis except the "
        r"concatenation axis \(-1\); received shapes \[\(None, 4, 3\), \(None, 5, 3\)\], which "
        r"differ on axis 1",
    ):
        Concatenate(name="cat")([Input(shape=(4, 3)), Input(shape=(5, 3))])


def test_mismatched_ranks():
    with pytest.raises(
        ValueError, match=r"all inputs must have the same rank; received shapes \[\(2, 3\), \(2, 3, 1\)\]"
    ):
        Concatenate()([torch.zeros(2, 3), torch.zeros(2, 3, 1)])


def test_axis_out_of_range():
    with pytest.raises(ValueError, match=r"axis=3 is out of range for inputs of rank 2"):
        Concatenate(axis=3)([Input(shape=(3,)), Input(shape=(3,))])


def test_fewer_than_two_inputs():
    with pytest.raises(ValueError, match="expected a list of at least 2 tensors; received 1 input"):
        Concatenate()([torch.zeros(2, 3)])


@pytest.mark.parametrize("axis", [-1, 1])
@pytest.mark.parametrize("masked", [(True, True), (True, False), (False, True)])
def test_output_mask_follows_keras(axis, masked):
    masks = [torch.tensor([[True, False, False], [True, True, False]]),
             torch.tensor([[False, False, True], [True, False, False]])]  # fmt: skip
    masks = [mask if on else None for mask, on in zip(masks, masked, strict=True)]
    ours, theirs = merged_masks("Concatenate", [torch.randn(2, 3, 4), torch.randn(2, 3, 4)], masks, axis=axis)
    np.testing.assert_array_equal(ours.numpy(), theirs)


def test_a_concatenation_after_a_masking_embedding_keeps_the_mask_for_the_pooling_like_keras():
    assert_masked_sequence_model_matches_keras(lambda lib, x: lib.layers.Concatenate()([x, lib.layers.Dense(2)(x)]))
