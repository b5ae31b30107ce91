import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.merging import Add
from tests.layers.harness import keras, run_layer_test


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
    with pytest.raises(
        ValueError, match=r"Add 'res2': inputs have incompatible shapes \[\(2, 3\), \(2, 4\)\]"
    ):
        Add(name="res2")([torch.zeros(2, 3), torch.zeros(2, 4)])


def test_different_batch_sizes_are_rejected():
    with pytest.raises(ValueError, match="different batch sizes"):
        Add()([torch.zeros(2, 3), torch.zeros(3, 3)])


def test_fewer_than_two_inputs():
    with pytest.raises(
        ValueError, match=r"Add 'add.*': expected a list of at least 2 tensors; received 1 input"
    ):
        Add()([Input(shape=(3,))])


def test_single_tensor_is_not_a_list():
    with pytest.raises(
        ValueError,
        match=r"called on a list of at least 2 tensors, e.g. Add\(\)\(\[x1, x2\]\); "
        r"received a single tensor of shape \(2, 3\)",
    ):
        Add()(torch.zeros(2, 3))


def test_output_mask_is_the_or_of_input_masks_like_keras():
    import numpy as np

    a, b = torch.randn(2, 3, 4), torch.randn(2, 3, 4)
    mask_a = torch.tensor([[True, False, False], [True, True, False]])
    mask_b = torch.tensor([[False, False, True], [True, False, False]])
    a._keras_mask, b._keras_mask = mask_a, mask_b
    out = Add()([a, b])
    torch.testing.assert_close(out, a + b)
    ka, kb = keras().ops.convert_to_tensor(a.numpy()), keras().ops.convert_to_tensor(b.numpy())
    ka._keras_mask = keras().ops.convert_to_tensor(mask_a.numpy())
    kb._keras_mask = keras().ops.convert_to_tensor(mask_b.numpy())
    expected = keras().layers.Add()([ka, kb])
    np.testing.assert_array_equal(out._keras_mask.numpy(), keras().ops.convert_to_numpy(expected._keras_mask))


def test_a_residual_sum_keeps_the_embedding_mask_for_the_pooling_after_it_like_keras():
    import numpy as np

    import fitorch
    from fitorch import layers

    def build(lib):
        tokens = lib.layers.Input(shape=(5,), dtype="int64")
        embedded = lib.layers.Embedding(10, 3, mask_zero=True)(tokens)
        merged = lib.layers.Add()([embedded, lib.layers.Dense(3)(embedded)])
        return lib.Model(tokens, lib.layers.GlobalAveragePooling1D()(merged))

    model, reference = build(fitorch), build(keras())
    reference.set_weights(model.get_weights())
    ids = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 0, 0]])
    with torch.no_grad():
        output = model(torch.from_numpy(ids)).numpy()
    np.testing.assert_allclose(output, keras().ops.convert_to_numpy(reference(ids)), rtol=1e-5, atol=1e-6)
    assert layers.Add()._produces_masks is False  # a mask passes through it; it makes none of its own
