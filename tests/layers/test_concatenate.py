import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.merging import Concatenate
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize(
    "input_shapes, axis",
    [([(2, 3), (2, 4)], -1), ([(2, 2, 5), (2, 1, 5), (2, 3, 5)], 1), ([(2, 3, 4), (2, 3, 4)], -2)],
)
def test_concatenate_matches_keras(input_shapes, axis):
    run_layer_test(
        lambda: Concatenate(axis=axis), input_shapes, lambda: keras().layers.Concatenate(axis=axis)
    )


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
    import numpy as np

    a, b = torch.randn(2, 3, 4), torch.randn(2, 3, 4)
    masks = [torch.tensor([[True, False, False], [True, True, False]]),
             torch.tensor([[False, False, True], [True, False, False]])]  # fmt: skip
    ka, kb = keras().ops.convert_to_tensor(a.numpy()), keras().ops.convert_to_tensor(b.numpy())
    for tensor, keras_tensor, mask, on in zip((a, b), (ka, kb), masks, masked, strict=True):
        if on:
            tensor._keras_mask = mask
            keras_tensor._keras_mask = keras().ops.convert_to_tensor(mask.numpy())
    out = Concatenate(axis=axis)([a, b])
    expected = keras().layers.Concatenate(axis=axis)([ka, kb])
    np.testing.assert_array_equal(out._keras_mask.numpy(), keras().ops.convert_to_numpy(expected._keras_mask))


def test_a_concatenation_after_a_masking_embedding_keeps_the_mask_for_the_pooling_like_keras():
    import numpy as np

    import fitorch

    def build(lib):
        tokens = lib.layers.Input(shape=(5,), dtype="int64")
        embedded = lib.layers.Embedding(10, 3, mask_zero=True)(tokens)
        joined = lib.layers.Concatenate()([embedded, lib.layers.Dense(2)(embedded)])
        return lib.Model(tokens, lib.layers.GlobalAveragePooling1D()(joined))

    model, reference = build(fitorch), build(keras())
    reference.set_weights(model.get_weights())
    ids = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 0, 0]])
    with torch.no_grad():
        output = model(torch.from_numpy(ids)).numpy()
    np.testing.assert_allclose(output, keras().ops.convert_to_numpy(reference(ids)), rtol=1e-5, atol=1e-6)
