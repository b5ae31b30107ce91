import numpy as np
import pytest
import torch
from torch import nn

from fitorch.layers.core import Embedding, Input
from tests.layers.harness import keras, run_layer_test, to_numpy


@pytest.mark.parametrize("input_dtype", ["int64", "int32"])
def test_embedding_matches_keras(input_dtype):
    run_layer_test(
        lambda: Embedding(10, 4),
        (3, 5),
        lambda: keras().layers.Embedding(10, 4),
        input_dtype=input_dtype,
    )


def test_embedding_on_rank_3_indices_matches_keras():
    run_layer_test(
        lambda: Embedding(12, 3), (2, 3, 4), lambda: keras().layers.Embedding(12, 3), input_dtype="int64"
    )


def test_float_indices_are_cast_like_keras():
    layer = Embedding(10, 2)
    x = np.array([[1.0, 7.9, 3.2]], dtype="float32")
    out = layer(torch.from_numpy(x))
    keras_layer = keras().layers.Embedding(10, 2)
    keras_layer.build((1, 3))
    keras_layer.set_weights(layer.get_weights())
    np.testing.assert_allclose(to_numpy(out), to_numpy(keras_layer(x)))


def test_output_is_float_for_integer_inputs_symbolically_and_eagerly():
    layer = Embedding(50, 8)
    symbolic = layer(Input(shape=(7,), dtype="int64"))
    assert symbolic.shape == (None, 7, 8) and symbolic.dtype == torch.float32
    assert layer(torch.zeros(2, 7, dtype=torch.int64)).dtype == torch.float32


def test_keras_default_initializer_is_uniform_005():
    layer = Embedding(300, 200)
    layer(torch.zeros(1, 1, dtype=torch.int64))
    assert float(layer.weight.detach().abs().max()) <= 0.05
    assert float(layer.weight.detach().abs().max()) > 0.045


def test_state_dict_loads_into_nn_embedding():
    layer = Embedding(10, 4)
    x = torch.tensor([[1, 2, 9]])
    out = layer(x)
    torch_embedding = nn.Embedding(10, 4)
    torch_embedding.load_state_dict(layer.state_dict())
    torch.testing.assert_close(torch_embedding(x), out)


def test_mask_zero_gives_a_padding_mask():
    x = torch.tensor([[3, 1, 0, 0]])
    assert Embedding(5, 2, mask_zero=True).compute_mask(x).tolist() == [[True, True, False, False]]
    assert Embedding(5, 2).compute_mask(x) is None


def test_out_of_range_index_names_layer_range_and_max():
    layer = Embedding(10, 4, name="tokens")
    with pytest.raises(
        ValueError,
        match=r"Embedding 'tokens': indices must lie in \[0, input_dim\) = \[0, 10\); "
        r"received max index 12 \(min index 0\)",
    ):
        layer(torch.tensor([[0, 3, 12]]))


def test_negative_index_is_explained():
    with pytest.raises(ValueError, match=r"\[0, 10\); received max index 3 \(min index -1\)"):
        Embedding(10, 4)(torch.tensor([[-1, 3]]))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"input_dim": 0, "output_dim": 4}, "input_dim must be a positive int"),
        ({"input_dim": 5, "output_dim": 2.5}, "output_dim must be a positive int"),
    ],
)
def test_bad_dimensions(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Embedding(**kwargs)
