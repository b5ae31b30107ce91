import numpy as np
import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.merging import Maximum, Minimum
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize("input_shapes", [[(2, 3, 4), (2, 3, 4)], [(2, 3, 4), (2, 1, 4), (2, 3, 1)], [(2, 3, 4), (2, 4)]])
def test_maximum_matches_keras(input_shapes):
    run_layer_test(Maximum, input_shapes, lambda: keras().layers.Maximum())


def _masked(values: np.ndarray, mask: np.ndarray):
    t = torch.from_numpy(values)
    t._keras_mask = torch.from_numpy(mask)
    k = keras().ops.convert_to_tensor(values)
    k._keras_mask = keras().ops.convert_to_tensor(mask)
    return t, k


@pytest.mark.parametrize("ours, theirs", [(Maximum, "Maximum"), (Minimum, "Minimum")])
@pytest.mark.parametrize("mask_both", [True, False])
def test_masked_entries_never_win_as_in_keras(ours, theirs, mask_both):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 2, 5, 3)).astype("float32")
    mask_a = np.array([[True, True, False, False, True], [True, False, True, False, False]])
    mask_b = np.array([[True, False, True, False, True], [False, False, True, True, True]])
    ta, ka = _masked(a, mask_a)
    if mask_both:
        tb, kb = _masked(b, mask_b)
    else:
        tb, kb = torch.from_numpy(b), keras().ops.convert_to_tensor(b)
    expected = getattr(keras().layers, theirs)()([ka, kb])
    actual = ours()([ta, tb])
    np.testing.assert_allclose(actual.numpy(), keras().ops.convert_to_numpy(expected), rtol=1e-6)


def test_output_mask_is_the_or_of_masks_in_a_model():
    from fitorch import layers

    tokens = torch.tensor([[1, 2, 0], [3, 0, 0]])
    other = torch.tensor([[1, 0, 0], [3, 4, 0]])
    embed = layers.Embedding(5, 2, mask_zero=True)
    out = Maximum()([embed(tokens), embed(other)])
    torch.testing.assert_close(out._keras_mask, (tokens != 0) | (other != 0))


def test_symbolic_shape_and_errors():
    assert Maximum()([Input(shape=(None, 4)), Input(shape=(3, 4))]).shape == (None, None, 4)
    with pytest.raises(ValueError, match=r"Maximum 'mx': inputs have incompatible shapes \[\(None, 3\), \(None, 2\)\]"):
        Maximum(name="mx")([Input(shape=(3,)), Input(shape=(2,))])
