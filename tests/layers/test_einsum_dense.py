import numpy as np
import pytest
import torch

from fitorch import layers
from fitorch.layers.core import EinsumDense
from tests.layers.harness import keras, run_layer_test


@pytest.fixture(autouse=True)
def _fresh_compile_cache():
    # Each harness run compiles its own layer; without a reset, dynamo would recompile the shared
    # code with dynamic shapes (slow to trace) after the first run's static ones.
    torch._dynamo.reset()


CASES = [
    ("ab,bc->ac", 4, "c", (3, 5)),
    ("abc,cd->abd", (None, 4), "d", (2, 3, 5)),
    ("abc,cde->abde", (None, 2, 3), "de", (2, 3, 5)),
    ("abcd,cde->abe", (None, 4), "e", (2, 3, 2, 5)),
    ("...b,bc->...c", 4, "c", (2, 3, 2, 5)),
    ("ab...,bc->ac...", 4, "c", (2, 5, 3, 2)),
    ("abc,cd->abd", (None, 4), None, (2, 3, 5)),
    ("abc,bd->adc", (4, None), "d", (2, 3, 5)),  # a middle axis: einsum, not a matmul
]


@pytest.mark.parametrize("equation, output_shape, bias_axes, input_shape", CASES)
def test_einsum_dense_matches_keras(equation, output_shape, bias_axes, input_shape):
    run_layer_test(
        lambda: EinsumDense(equation, output_shape, activation="relu", bias_axes=bias_axes),
        input_shape,
        lambda: keras().layers.EinsumDense(equation, output_shape, activation="relu", bias_axes=bias_axes),
    )


def test_trailing_projections_run_as_a_matmul_with_einsum_results():
    x = torch.randn(2, 3, 4, 5)
    for equation, output_shape in [("abcd,cde->abe", (None, 6)), ("...d,de->...e", 6), ("abcd,def->abcef", (3, 4, 6, 2))]:
        layer = EinsumDense(equation, output_shape, bias_axes=None)
        out = layer(x)
        assert layer._matmul_out is not None
        torch.testing.assert_close(out, torch.einsum(equation, x, layer.weight))
    layer = EinsumDense("abcd,bde->aec", (6, 4))
    out = layer(x)
    assert layer._matmul_out is None
    torch.testing.assert_close(out, torch.einsum("abcd,bde->aec", x, layer.weight))


def test_weight_shapes_match_keras_for_a_bias_with_gaps():
    layer = EinsumDense("abc,cde->abde", (None, 4, 6), bias_axes="e")
    layer(torch.zeros(1, 3, 5))
    keras_layer = keras().layers.EinsumDense("abc,cde->abde", (None, 4, 6), bias_axes="e")
    keras_layer.build((1, 3, 5))
    assert [w.shape for w in layer.get_weights()] == [tuple(w.shape) for w in keras_layer.get_weights()]


def test_symbolic_shape_fills_the_axes_the_input_knows():
    out = EinsumDense("abc,cd->abd", (None, 4))(layers.Input(shape=(7, 5)))
    assert out.shape == (None, 7, 4)


def test_glorot_fans_are_counted_over_contracted_and_kept_axes_like_keras():
    # kernel (64, 8, 16): Keras counts fan_in = 64 and fan_out = 8 * 16 (not a conv's receptive field).
    layer = EinsumDense("abc,cde->abde", (None, 8, 16))
    layer(torch.zeros(1, 1, 64))
    limit = np.sqrt(6 / (64 + 128))
    largest = float(layer.weight.detach().abs().max())
    assert 0.95 * limit < largest <= limit


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"equation": "ab->b", "output_shape": 3}, r"invalid equation 'ab->b'"),
        ({"equation": "ab,bc->ac", "output_shape": 0}, r"output_shape must be an int or a tuple of positive ints"),
        ({"equation": "ab,bc->ac", "output_shape": 3, "bias_axes": 1}, r"bias_axes must be a string"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        EinsumDense(**kwargs)


def test_bias_axis_not_in_the_output_is_explained():
    layer = EinsumDense("ab,bc->ac", 3, bias_axes="x", name="proj")
    with pytest.raises(ValueError, match=r"EinsumDense 'proj': bias dimension 'x' is not part of the output 'ac'"):
        layer(torch.zeros(2, 4))


def test_mismatched_shared_dimension_is_explained():
    layer = EinsumDense("abc,cd->abd", (7, 4), name="proj")
    with pytest.raises(ValueError, match=r"shared dimension 'b': the input has 3, output_shape asks for 7"):
        layer(torch.zeros(2, 3, 5))


def test_wrong_input_rank_is_explained():
    layer = EinsumDense("abc,cd->abd", (None, 4), name="proj")
    with pytest.raises(ValueError, match=r"expects inputs of rank 3; received shape \(2, 5\)"):
        layer(torch.zeros(2, 5))


def test_wrong_output_shape_length_is_explained():
    with pytest.raises(ValueError, match=r"output_shape=\(4,\) has 1 entries but the equation's output 'abd' needs 2"):
        EinsumDense("abc,cd->abd", 4)(torch.zeros(2, 3, 5))
