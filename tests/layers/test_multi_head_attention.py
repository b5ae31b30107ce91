import json

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.layers.attention import MultiHeadAttention
from fitorch.layers.core import Masking
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

QUERY, VALUE, KEY = (2, 4, 5), (2, 6, 7), (2, 6, 3)


@pytest.fixture(autouse=True)
def _fresh_compile_cache():
    # Each harness run compiles its own layer; without a reset, dynamo would recompile the shared
    # code with dynamic shapes (slow to trace) after the first run's static ones.
    torch._dynamo.reset()


class _OnList(layers.Layer):
    """Calls a MultiHeadAttention on a list ``[query, value(, key)]``, so the shared harness can drive it."""

    def __init__(self, inner, **call_kwargs):
        super().__init__()
        self.inner = inner
        self.call_kwargs = call_kwargs

    def call(self, inputs):
        return self.inner(*inputs, **self.call_kwargs)


def _keras_on_list(inner, **call_kwargs):
    class KerasOnList(keras().layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = inner

        def build(self, shapes):
            self.inner.build(*shapes)

        def call(self, inputs, training=None):
            return self.inner(*inputs, training=training, **call_kwargs)

    return KerasOnList()


def _run(kwargs, shapes, call_kwargs=None, **harness_kwargs):
    call_kwargs = call_kwargs or {}
    return run_layer_test(
        lambda: _OnList(MultiHeadAttention(**kwargs), **call_kwargs),
        shapes,
        lambda: _keras_on_list(keras().layers.MultiHeadAttention(**kwargs), **call_kwargs),
        check_config=False,
        **harness_kwargs,
    )


@pytest.mark.parametrize(
    "kwargs, shapes",
    [
        ({"num_heads": 2, "key_dim": 3}, [QUERY, VALUE]),
        ({"num_heads": 2, "key_dim": 3}, [QUERY, VALUE, KEY]),
        ({"num_heads": 3, "key_dim": 2, "value_dim": 4, "output_shape": (3, 2), "use_bias": False}, [QUERY, VALUE]),
        ({"num_heads": 2, "key_dim": 3}, [(2, 3, 4, 5), (2, 3, 2, 5)]),  # attention over axes 1 and 2
        ({"num_heads": 2, "key_dim": 3, "attention_axes": 2}, [(2, 3, 4, 5), (2, 3, 2, 5)]),
    ],
)
def test_multi_head_attention_matches_keras(kwargs, shapes):
    _run(kwargs, shapes)


@pytest.mark.parametrize(
    "call_kwargs", [{"use_causal_mask": True}, {"return_attention_scores": True}], ids=["causal", "scores"]
)
def test_call_options_match_keras(call_kwargs):
    _run({"num_heads": 2, "key_dim": 3}, [QUERY, VALUE], call_kwargs)


def test_dropout_matches_keras_in_inference():
    _run({"num_heads": 2, "key_dim": 3, "dropout": 0.3}, [QUERY, VALUE], deterministic_in_training=False)


def test_weights_match_keras_names_shapes_and_order():
    layer = MultiHeadAttention(2, 3, output_shape=4)
    layer(torch.zeros(QUERY), torch.zeros(VALUE), torch.zeros(KEY))
    keras_layer = keras().layers.MultiHeadAttention(2, 3, output_shape=4)
    keras_layer.build(QUERY, VALUE, KEY)
    assert [w.shape for w in layer.get_weights()] == [tuple(w.shape) for w in keras_layer.get_weights()]
    assert [w.shape for w in layer.get_weights()] == [(5, 2, 3), (2, 3), (3, 2, 3), (2, 3), (7, 2, 3), (2, 3),
                                                      (2, 3, 4), (4,)]
    assert [layer.query_dense.name, layer.key_dense.name, layer.value_dense.name, layer.output_dense.name] == [
        "query", "key", "value", "attention_output"]
    assert list(layer.state_dict())[:2] == ["query_dense.weight", "query_dense.bias"]


def test_kernel_initializer_counts_fans_like_keras():
    layer = MultiHeadAttention(num_heads=8, key_dim=32)
    layer(torch.zeros(1, 1, 256), torch.zeros(1, 1, 256))
    limit = np.sqrt(6 / (256 + 8 * 32))  # Keras: fan_in = 256, fan_out = heads * key_dim
    largest = float(layer.query_dense.weight.detach().abs().max())
    assert 0.95 * limit < largest <= limit


def _spy_sdpa(monkeypatch):
    calls = []
    fused = torch.nn.functional.scaled_dot_product_attention

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return fused(*args, **kwargs)

    monkeypatch.setattr(torch.nn.functional, "scaled_dot_product_attention", spy)
    return calls


def test_default_configuration_runs_scaled_dot_product_attention(monkeypatch):
    calls = _spy_sdpa(monkeypatch)
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    layer(torch.randn(QUERY), torch.randn(VALUE))
    assert len(calls) == 1 and calls[0]["attn_mask"] is None and calls[0]["is_causal"] is False
    layer(torch.randn(QUERY), torch.randn(VALUE), use_causal_mask=True)
    assert len(calls) == 2 and calls[1]["attn_mask"] is None and calls[1]["is_causal"] is True
    layer(torch.randn(QUERY), torch.randn(VALUE), attention_mask=torch.ones(2, 4, 6, dtype=torch.bool))
    assert len(calls) == 3 and calls[2]["attn_mask"].shape == (2, 1, 4, 6)


def test_dropout_in_training_runs_the_fused_kernel_with_dropout(monkeypatch):
    calls = _spy_sdpa(monkeypatch)
    layer = MultiHeadAttention(num_heads=2, key_dim=3, dropout=0.25)
    layer.train()
    layer(torch.randn(QUERY), torch.randn(VALUE))
    layer.eval()
    layer(torch.randn(QUERY), torch.randn(VALUE))
    assert [c["dropout_p"] for c in calls] == [0.25, 0.0]


def test_scores_and_other_attention_axes_use_the_explicit_softmax(monkeypatch):
    calls = _spy_sdpa(monkeypatch)
    MultiHeadAttention(2, 3)(torch.randn(QUERY), torch.randn(VALUE), return_attention_scores=True)
    x = torch.randn(2, 3, 4, 5)
    MultiHeadAttention(2, 3, attention_axes=2)(x, x)
    MultiHeadAttention(2, 3, dropout=0.1, seed=3).train()(torch.randn(QUERY), torch.randn(VALUE))
    assert calls == []


def _keras_mha(layer, kwargs, shapes):
    keras_layer = keras().layers.MultiHeadAttention(**kwargs)
    keras_layer.build(*shapes)
    keras_layer.set_weights(layer.get_weights())
    return keras_layer


@pytest.mark.parametrize("kwargs", [{}, {"dropout": 0.2}], ids=["fused", "dropout"])
@pytest.mark.parametrize("use_causal_mask", [False, True])
def test_embedding_padding_masks_in_a_functional_model_match_keras(kwargs, use_causal_mask):
    tokens = np.array([[1, 2, 3, 0, 0], [4, 5, 6, 7, 0], [0, 0, 0, 0, 0]], dtype="int64")
    inputs = layers.Input(shape=(5,), dtype="int64")
    embedded = layers.Embedding(10, 6, mask_zero=True, name="emb")(inputs)
    attention = MultiHeadAttention(num_heads=2, key_dim=4, name="mha", **kwargs)
    attended = attention(embedded, embedded, use_causal_mask=use_causal_mask)
    pooled = layers.GlobalAveragePooling1D()(attended)
    model = fitorch.Model(inputs, [attended, pooled])
    model.eval()

    k_inputs = keras().Input(shape=(5,), dtype="int64")
    k_embedding = keras().layers.Embedding(10, 6, mask_zero=True)
    k_attention = keras().layers.MultiHeadAttention(num_heads=2, key_dim=4, **kwargs)
    k_embedded = k_embedding(k_inputs)
    k_attended = k_attention(k_embedded, k_embedded, use_causal_mask=use_causal_mask)
    k_model = keras().Model(k_inputs, [k_attended, keras().layers.GlobalAveragePooling1D()(k_attended)])
    k_embedding.set_weights(model.get_layer("emb").get_weights())
    k_attention.set_weights(model.get_layer("mha").get_weights())

    attended_out, pooled_out = model(torch.from_numpy(tokens))
    k_attended_out, k_pooled_out = k_model(tokens)
    np.testing.assert_allclose(to_numpy(attended_out), to_numpy(k_attended_out), atol=1e-5)
    np.testing.assert_allclose(to_numpy(pooled_out), to_numpy(k_pooled_out), atol=1e-5)
    assert attended_out._keras_mask.tolist() == (tokens != 0).tolist()


def test_masking_layer_masks_key_and_value_in_cross_attention_like_keras():
    query = make_input((2, 3, 4))
    context = make_input((2, 5, 4))
    context[0, 2:] = 0.0
    context[1, :] = 0.0  # a fully masked context: every query row of example 1 is masked
    q_in, c_in = layers.Input(shape=(3, 4)), layers.Input(shape=(5, 4))
    attention = MultiHeadAttention(num_heads=2, key_dim=3, name="mha")
    out = attention(q_in, Masking()(c_in), return_attention_scores=True)
    model = fitorch.Model([q_in, c_in], list(out))

    k_q, k_c = keras().Input(shape=(3, 4)), keras().Input(shape=(5, 4))
    k_attention = keras().layers.MultiHeadAttention(num_heads=2, key_dim=3)
    k_out = k_attention(k_q, keras().layers.Masking()(k_c), return_attention_scores=True)
    k_model = keras().Model([k_q, k_c], list(k_out))
    k_attention.set_weights(model.get_layer("mha").get_weights())

    ours = model([torch.from_numpy(query), torch.from_numpy(context)])
    theirs = k_model([query, context])
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=1e-5)
    assert float(ours[1][0, :, :, 2:].abs().max()) == 0.0


@pytest.mark.parametrize("kwargs", [{}, {"dropout": 0.2}], ids=["fused", "dropout"])
@pytest.mark.parametrize("return_attention_scores", [False, True])
def test_attention_mask_with_fully_masked_rows_matches_keras(kwargs, return_attention_scores):
    query, value = make_input(QUERY), make_input(VALUE)
    attention_mask = np.random.default_rng(3).random((2, 4, 6)) > 0.4
    attention_mask[0, 1] = False
    layer = MultiHeadAttention(2, 3, **kwargs)
    layer.eval()
    layer(torch.from_numpy(query), torch.from_numpy(value))
    keras_layer = _keras_mha(layer, {"num_heads": 2, "key_dim": 3, **kwargs}, [QUERY, VALUE])
    call_kwargs = {"use_causal_mask": True, "return_attention_scores": return_attention_scores}
    ours = layer(torch.from_numpy(query), torch.from_numpy(value), attention_mask=torch.from_numpy(attention_mask),
                 **call_kwargs)
    theirs = keras_layer(query, value, attention_mask=attention_mask, **call_kwargs)
    ours, theirs = (ours, theirs) if return_attention_scores else ((ours,), (theirs,))
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=1e-5)


def test_explicit_value_and_key_masks_match_keras():
    query, value, key = make_input(QUERY), make_input(VALUE), make_input(KEY)
    value_mask = np.array([[1, 1, 1, 1, 0, 0], [1, 0, 1, 0, 1, 0]], dtype=bool)
    key_mask = np.array([[1, 1, 0, 1, 1, 1], [1, 1, 1, 1, 1, 0]], dtype=bool)
    layer = MultiHeadAttention(2, 3)
    layer(torch.from_numpy(query), torch.from_numpy(value), torch.from_numpy(key))
    keras_layer = _keras_mha(layer, {"num_heads": 2, "key_dim": 3}, [QUERY, VALUE, KEY])
    ours = layer(torch.from_numpy(query), torch.from_numpy(value), torch.from_numpy(key),
                 value_mask=torch.from_numpy(value_mask), key_mask=torch.from_numpy(key_mask))
    theirs = keras_layer(query, value, key, value_mask=value_mask, key_mask=key_mask)
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), atol=1e-5)


def test_symbolic_shapes_with_and_without_scores():
    q_in, v_in = layers.Input(shape=(4, 5)), layers.Input(shape=(6, 7))
    layer = MultiHeadAttention(num_heads=2, key_dim=3, output_shape=8)
    assert layer(q_in, v_in).shape == (None, 4, 8)
    out, scores = layer(q_in, v_in, return_attention_scores=True)
    assert out.shape == (None, 4, 8) and scores.shape == (None, 2, 4, 6)
    assert layer.compute_output_shape((None, 4, 5), (None, 6, 7)) == (None, 4, 8)


def test_unknown_sequence_lengths_stay_unknown():
    q_in, v_in = layers.Input(shape=(None, 5)), layers.Input(shape=(None, 7))
    out, scores = MultiHeadAttention(2, 3)(q_in, v_in, return_attention_scores=True)
    assert out.shape == (None, None, 5) and scores.shape == (None, 2, None, None)
    model = fitorch.Model([q_in, v_in], out)
    assert model([torch.randn(2, 9, 5), torch.randn(2, 11, 7)]).shape == (2, 9, 5)


def test_config_round_trip():
    layer = MultiHeadAttention(4, 8, value_dim=6, dropout=0.1, output_shape=(3, 2), attention_axes=(1,), seed=1)
    config = json.loads(json.dumps(layer.get_config()))
    assert MultiHeadAttention.from_config(config).get_config() == config


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"num_heads": 0, "key_dim": 2}, r"num_heads must be a positive int; received num_heads=0"),
        ({"num_heads": 2, "key_dim": 2.0}, r"key_dim must be a positive int; received key_dim=2.0"),
        ({"num_heads": 2, "key_dim": 2, "value_dim": -1}, r"value_dim must be a positive int or None"),
        ({"num_heads": 2, "key_dim": 2, "dropout": 1.5}, r"dropout must be a float in \[0, 1\)"),
        ({"num_heads": 2, "key_dim": 2, "output_shape": "x"}, r"output_shape must be a positive int or a tuple"),
        ({"num_heads": 2, "key_dim": 2, "attention_axes": "1"}, r"attention_axes must be an int, a tuple of ints"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MultiHeadAttention(**kwargs)


def test_missing_value_is_explained():
    with pytest.raises(ValueError, match=r"MultiHeadAttention 'mha1' is called as layer\(query, value, key=None, "
                       r"\.\.\.\); received no value\. For self-attention pass the same tensor twice"):
        MultiHeadAttention(2, 3, name="mha1")(torch.zeros(QUERY))


def test_value_and_key_mismatch_is_explained():
    with pytest.raises(ValueError, match=r"'mha2': all dimensions of value and key, except the last one, must be "
                       r"equal; received value shape \(2, 6, 7\) and key shape \(2, 5, 3\)"):
        MultiHeadAttention(2, 3, name="mha2")(torch.zeros(QUERY), torch.zeros(VALUE), torch.zeros(2, 5, 3))


def test_attention_axes_out_of_range_are_explained():
    with pytest.raises(ValueError, match=r"attention_axes=\[3\] must name distinct axes of the query other than "
                       r"the batch and the features, i\.e\. in \[1, 2\]"):
        x = torch.zeros(2, 3, 4, 5)
        MultiHeadAttention(2, 3, attention_axes=3)(x, x)


def test_rank_two_inputs_are_explained():
    with pytest.raises(ValueError, match=r"query must have rank >= 3 \(batch, steps\.\.\., features\)"):
        MultiHeadAttention(2, 3)(torch.zeros(2, 5), torch.zeros(2, 5))
