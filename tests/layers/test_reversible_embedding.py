from typing import Any

import numpy as np
import pytest
import torch
from torch import nn

import fitorch
from fitorch import layers
from fitorch.layers import masking_state
from fitorch.layers.core import Embedding, ReversibleEmbedding
from fitorch.layers.layer import Layer
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy


class ReverseProjection(Layer):
    """Test-only: runs the harness on the reverse call, ``embedding(hidden_states, reverse=True)``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__()
        self.embedding = ReversibleEmbedding(7, 4, **kwargs)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.embedding(inputs, reverse=True)


def keras_reverse_projection(**kwargs: Any) -> Any:
    class KerasReverseProjection(keras().layers.Layer):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = keras().layers.ReversibleEmbedding(7, 4, **kwargs)

        def build(self, input_shape: Any) -> None:
            self.embedding.build(input_shape[:-1])

        def call(self, inputs: Any, training: Any = None) -> Any:
            return self.embedding(inputs, reverse=True)

    return KerasReverseProjection()


@pytest.mark.parametrize("tie_weights", [True, False])
def test_forward_call_matches_keras(tie_weights):
    run_layer_test(
        lambda: ReversibleEmbedding(10, 4, tie_weights=tie_weights),
        (3, 5),
        lambda: keras().layers.ReversibleEmbedding(10, 4, tie_weights=tie_weights),
        input_dtype="int64",
    )


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"tie_weights": False}, {"logit_soft_cap": 0.05}, {"tie_weights": False, "logit_soft_cap": 0.1}],
)
def test_reverse_call_matches_keras(kwargs):
    # rank 3 hidden states (batch, steps, output_dim) -> logits (batch, steps, input_dim)
    run_layer_test(
        lambda: ReverseProjection(**kwargs),
        (2, 3, 4),
        lambda: keras_reverse_projection(**kwargs),
        check_config=False,
        check_compile=not kwargs,
    )


def test_soft_cap_bounds_the_logits_and_is_tanh_scaled():
    layer = ReversibleEmbedding(6, 3, logit_soft_cap=2.0, embeddings_initializer="ones")
    hidden = torch.tensor([[10.0, 0.0, 0.0], [0.1, 0.2, 0.3]])
    logits = layer(hidden, reverse=True)
    torch.testing.assert_close(logits, torch.tanh(hidden.sum(-1, keepdim=True).expand(2, 6) / 2.0) * 2.0)
    assert float(logits.detach().abs().max()) < 2.0


def test_tied_reverse_is_the_transposed_embeddings_and_untied_loads_into_nn_linear():
    tied = ReversibleEmbedding(9, 5)
    ids = torch.tensor([[1, 8, 0]])
    hidden = tied(ids)
    torch.testing.assert_close(tied(hidden, reverse=True), hidden @ tied.weight.T)
    assert [name for name, _ in tied.named_parameters()] == ["weight"]

    untied = ReversibleEmbedding(9, 5, tie_weights=False)
    hidden = untied(ids)
    assert [w.shape for w in untied.get_weights()] == [(9, 5), (5, 9)]  # Keras layouts
    linear = nn.Linear(5, 9, bias=False)
    linear.weight.data.copy_(untied.reverse_weight)
    torch.testing.assert_close(untied(hidden, reverse=True), linear(hidden))


def test_symbolic_shapes_and_dtypes_in_both_directions():
    layer = ReversibleEmbedding(50, 8, reverse_dtype="float64")
    hidden = layer(layers.Input((7,), dtype="int64"))
    assert hidden.shape == (None, 7, 8) and hidden.dtype == torch.float32
    logits = layer(hidden, reverse=True)
    assert logits.shape == (None, 7, 50) and logits.dtype == torch.float64
    assert layer.compute_output_shape((None, 3, 8), reverse=True) == (None, 3, 50)
    assert layer(torch.zeros(2, 8), reverse=True).dtype == torch.float64
    assert layer(torch.zeros(2, 8, dtype=torch.int64)).dtype == torch.float32


def test_bfloat16_hidden_states_promote_with_float32_weights():
    layer = ReversibleEmbedding(10, 4)
    logits = layer(torch.ones(2, 4, dtype=torch.bfloat16), reverse=True)
    assert logits.dtype == torch.float32


def test_mask_zero_masks_the_forward_outputs_only():
    layer = ReversibleEmbedding(5, 3, mask_zero=True)
    hidden = layer(torch.tensor([[3, 1, 0, 0]]))
    assert masking_state.get_mask(hidden).tolist() == [[True, True, False, False]]
    assert masking_state.get_mask(layer(hidden, reverse=True)) is None


def test_weights_load_from_keras_and_into_embedding():
    keras_layer = keras().layers.ReversibleEmbedding(10, 4, tie_weights=False)
    keras_layer.build((2, 3))
    layer = ReversibleEmbedding(10, 4, tie_weights=False)
    layer.build((2, 3))
    layer.set_weights([to_numpy(w) for w in keras_layer.get_weights()])
    hidden = make_input((2, 3, 4))
    np.testing.assert_allclose(
        to_numpy(layer(torch.from_numpy(hidden), reverse=True)),
        to_numpy(keras_layer(hidden, reverse=True)),
        atol=1e-6,
    )
    plain = Embedding(10, 4)
    plain.build((2, 3))
    plain.load_state_dict({"weight": layer.weight})


def test_config_round_trip_keeps_the_keras_arguments():
    layer = ReversibleEmbedding(
        12, 6, tie_weights=False, reverse_dtype="bfloat16", logit_soft_cap=30, embeddings_regularizer="l2"
    )
    config = layer.get_config()
    assert {k: config[k] for k in ("tie_weights", "reverse_dtype", "logit_soft_cap")} == {
        "tie_weights": False, "reverse_dtype": "bfloat16", "logit_soft_cap": 30.0,
    }  # fmt: skip
    assert ReversibleEmbedding.from_config(config).get_config() == config


def test_reversible_embedding_errors():
    with pytest.raises(ValueError, match=r"ReversibleEmbedding 'e': tie_weights must be True or False; "
                       r"received tie_weights='no'"):
        ReversibleEmbedding(10, 4, tie_weights="no", name="e")
    with pytest.raises(ValueError, match=r"ReversibleEmbedding 'e2': logit_soft_cap must be None or a positive "
                       r"float; received logit_soft_cap=0"):
        ReversibleEmbedding(10, 4, logit_soft_cap=0, name="e2")
    with pytest.raises(ValueError, match=r"ReversibleEmbedding 'e3': reverse_dtype: dtype: expected a torch.dtype"):
        ReversibleEmbedding(10, 4, reverse_dtype="flot32", name="e3")
    with pytest.raises(ValueError, match=r"Embedding 'e4': input_dim must be a positive int"):
        ReversibleEmbedding(0, 4, name="e4")
    message = (r"ReversibleEmbedding 'e5': a reverse call projects hidden states of size output_dim=4 to "
               r"input_dim=10 logits; received inputs of shape \(2, 3\), whose last axis is 3")  # fmt: skip
    layer = ReversibleEmbedding(10, 4, name="e5")
    with pytest.raises(ValueError, match=message):
        layer(torch.zeros(2, 3), reverse=True)
    with pytest.raises(ValueError, match=r"received inputs of shape \(None, 3\), whose last axis is 3"):
        layer(layers.Input((3,)), reverse=True)


def test_tied_embedding_in_a_functional_model_replays_both_directions():
    embedding = ReversibleEmbedding(20, 8)
    ids = layers.Input((5,), dtype="int64")
    logits = embedding(layers.Dense(8)(embedding(ids)), reverse=True)
    assert logits.shape == (None, 5, 20)
    model = fitorch.Model(ids, logits)
    x = torch.randint(0, 20, (3, 5))
    dense = model.layers[2]  # input, embedding, dense, embedding (reverse)
    assert isinstance(dense, layers.Dense)
    expected = dense(embedding(x)) @ embedding.weight.T
    torch.testing.assert_close(model(x), expected)
    assert sum(p.numel() for p in model.parameters()) == 20 * 8 + 8 * 8 + 8
