import pytest
import torch

from fitorch import layers
from fitorch.layers.reshaping import Permute, RepeatVector
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize("dims, shape", [((2, 1), (2, 3, 4)), ((3, 1, 2), (2, 3, 4, 5)), ((1, 2), (2, 3, 4)),
                                         ((4, 2, 3, 1), (2, 3, 4, 5, 6))])
def test_permute_matches_keras(dims, shape):
    run_layer_test(lambda: Permute(dims), shape, lambda: keras().layers.Permute(dims), check_compile=len(dims) == 3)


def test_permute_is_a_view_and_accepts_unknown_sizes():
    x = torch.randn(2, 3, 4)
    out = Permute((2, 1))(x)
    assert out.data_ptr() == x.data_ptr() and torch.equal(out, x.transpose(1, 2))
    assert Permute((2, 1))(layers.Input((None, 8))).shape == (None, 8, None)


@pytest.mark.parametrize("dims", [(1, 3), (0, 1), (2, 2), [1.0, 2.0], "21", 2])
def test_permute_rejects_bad_dims(dims):
    with pytest.raises(ValueError, match=r"Permute 'p': dims must be a permutation of 1, \.\.\., n .*; received dims="):
        Permute(dims, name="p")


def test_permute_rejects_inputs_of_the_wrong_rank():
    with pytest.raises(ValueError, match=r"'p' \(Permute\) is incompatible: expected ndim=3, received ndim=4"):
        Permute((2, 1), name="p")(layers.Input((3, 4, 5)))


@pytest.mark.parametrize("n", [1, 3])
def test_repeat_vector_matches_keras(n):
    run_layer_test(lambda: RepeatVector(n), (2, 5), lambda: keras().layers.RepeatVector(n))


def test_repeat_vector_shapes_and_gradient():
    assert RepeatVector(4)(layers.Input((7,))).shape == (None, 4, 7)
    x = torch.randn(2, 3, requires_grad=True)
    out = RepeatVector(4)(x)
    out.sum().backward()
    assert torch.equal(x.grad, torch.full((2, 3), 4.0))
    out.add_(1)  # a real tensor, not an expanded view: in-place ops work


@pytest.mark.parametrize("n", [0, -1, 2.0, True, None])
def test_repeat_vector_rejects_bad_n(n):
    with pytest.raises(ValueError, match=rf"RepeatVector 'r': n must be a positive int; received n={n!r}"):
        RepeatVector(n, name="r")


def test_repeat_vector_rejects_inputs_of_the_wrong_rank():
    with pytest.raises(ValueError, match=r"'r' \(RepeatVector\) is incompatible: expected ndim=2, received ndim=3"):
        RepeatVector(2, name="r")(layers.Input((3, 4)))
