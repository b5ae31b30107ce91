import numpy as np
import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.merging import Add
from tests.layers.harness import assert_masked_sequence_model_matches_keras, keras, merged_masks, run_layer_test


@pytest.mark.parametrize(
    "input_shapes",
    [
        [(2, 3, 4), (2, 3, 4)],
        [(2, 3, 4), (2, 1, 4), (2, 3, 1)],
        [(2, 3, 4), (2, 4)],
        [(4, 5), (4, 5), (4, 5)],
    ],
)
def test_add_matches_keras(input_shapes):
    run_layer_test(Add, input_shapes, lambda: keras().layers.Add())


def test_symbolic_output_shape_broadcasts():
    assert Add()([Input(shape=(3, 1)), Input(shape=(1, 4))]).shape == (None, 3, 4)
    assert Add()([Input(shape=(None, 4)), Input(shape=(3, 4))]).shape == (None, None, 4)


def test_mismatched_shapes_fail_at_definition_naming_layer_and_all_shapes():
    with pytest.raises(
        ValueError,
        match=r"Add 'res': inputs have incompatible shapes \[\(None, 3\), \(None, 3\), "
        r"\(None, 4\)\]",
    ):
        Add(name="res")([Input(shape=(3,)), Input(shape=(3,)), Input(shape=(4,))])


def test_mismatched_eager_shapes_name_layer():
    with pytest.raises(ValueError, match=r"Add 'res2': inputs have incompatible shapes \[\(2, 3\), \(2, 4\)\]"):
        Add(name="res2")([torch.zeros(2, 3), torch.zeros(2, 4)])


def test_different_batch_sizes_are_rejected():
    with pytest.raises(ValueError, match="different batch sizes"):
        Add()([torch.zeros(2, 3), torch.zeros(3, 3)])


def test_fewer_than_two_inputs():
    with pytest.raises(ValueError, match=r"Add 'add.*': expected a list of at least 2 tensors; received 1 input"):
        Add()([Input(shape=(3,))])


def test_single_tensor_is_not_a_list():
    with pytest.raises(
        ValueError,
        match=r"called on a list of at least 2 tensors, e.g. Add\(\)\(\[x1, x2\]\); "
        r"received a single tensor of shape \(2, 3\)",
    ):
        Add()(torch.zeros(2, 3))


def test_output_mask_is_the_or_of_input_masks_like_keras():
    a, b = torch.randn(2, 3, 4), torch.randn(2, 3, 4)
    masks = [torch.tensor([[True, False, False], [True, True, False]]),
             torch.tensor([[False, False, True], [True, False, False]])]  # fmt: skip
    ours, theirs = merged_masks("Add", [a, b], masks)
    np.testing.assert_array_equal(ours.numpy(), theirs)
    torch.testing.assert_close(Add()([a, b]), a + b)


def test_a_residual_sum_keeps_the_embedding_mask_for_the_pooling_after_it_like_keras():
    assert_masked_sequence_model_matches_keras(lambda lib, x: lib.layers.Add()([x, lib.layers.Dense(3)(x)]))
    assert Add()._produces_masks is False  # a mask passes through it; it makes none of its own
