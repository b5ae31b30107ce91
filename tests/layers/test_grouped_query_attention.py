import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import fitorch
from fitorch import layers
from fitorch.layers.attention import GroupQueryAttention
from fitorch.layers.core import Masking
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

QUERY, VALUE, KEY = (2, 4, 6), (2, 5, 6), (2, 5, 3)
BASE = {"head_dim": 3, "num_query_heads": 4, "num_key_value_heads": 2}


@pytest.fixture(autouse=True)
def _fresh_compile_cache():
    torch._dynamo.reset()


class _OnList(layers.Layer):
    """Calls a GroupQueryAttention on a list ``[query, value(, key)]``, so the shared harness can drive it."""

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
        lambda: _OnList(GroupQueryAttention(**kwargs), **call_kwargs),
        shapes,
        lambda: _keras_on_list(keras().layers.GroupQueryAttention(**kwargs), **call_kwargs),
        check_config=False,
        **harness_kwargs,
    )


def _keras_gqa(layer, kwargs, shapes):
    keras_layer = keras().layers.GroupQueryAttention(**kwargs)
    keras_layer.build(*shapes)
    keras_layer.set_weights(layer.get_weights())
    return keras_layer


@pytest.mark.parametrize(
    "kwargs, shapes",
    [
        (BASE, [QUERY, VALUE]),
        (BASE, [QUERY, VALUE, KEY]),
        ({"head_dim": 2, "num_query_heads": 3, "num_key_value_heads": 1, "use_bias": False}, [QUERY, VALUE]),
        ({**BASE, "use_gate": True}, [QUERY, VALUE]),
    ],
    ids=["gqa", "key", "mqa-nobias", "gate"],
)
def test_grouped_query_attention_matches_keras(kwargs, shapes):
    _run(kwargs, shapes)


@pytest.mark.parametrize(
    "kwargs, call_kwargs",
    [
        (BASE, {"use_causal_mask": True}),
        (BASE, {"return_attention_scores": True}),
        ({**BASE, "sliding_window": 2}, {"use_causal_mask": True}),
        ({**BASE, "sliding_window": 2}, {"return_attention_scores": True}),
    ],
    ids=["causal", "scores", "causal-window", "window-scores"],
)
def test_call_options_match_keras(kwargs, call_kwargs):
    _run(kwargs, [QUERY, QUERY], call_kwargs)


def test_dropout_matches_keras_in_inference():
    _run({**BASE, "dropout": 0.3}, [QUERY, VALUE], deterministic_in_training=False, check_compile=False)


def test_weights_match_keras_names_shapes_and_order():
    layer = GroupQueryAttention(**BASE, use_gate=True)
    layer(torch.zeros(QUERY), torch.zeros(VALUE), torch.zeros(KEY))
    keras_layer = keras().layers.GroupQueryAttention(**BASE, use_gate=True)
    keras_layer.build(QUERY, VALUE, KEY)
    assert [w.shape for w in layer.get_weights()] == [tuple(w.shape) for w in keras_layer.get_weights()]
    assert [w.path.split("/")[-2] for w in keras_layer.weights] == [
        "query", "query", "key", "key", "gate", "gate", "value", "value", "attention_output", "attention_output"
    ]
    # Distinct values round-trip in order through set_weights.
    arrays = [np.full(w.shape, i, dtype="float32") for i, w in enumerate(layer.get_weights())]
    layer.set_weights(arrays)
    for ours, expected in zip(layer.get_weights(), arrays, strict=True):
        np.testing.assert_array_equal(ours, expected)


def test_default_path_runs_sdpa_with_shared_heads(monkeypatch):
    calls = []
    original = F.scaled_dot_product_attention

    def spy(*args, **kwargs):
        calls.append((args[1].shape, kwargs.get("enable_gqa")))
        return original(*args, **kwargs)

    monkeypatch.setattr(F, "scaled_dot_product_attention", spy)
    layer = GroupQueryAttention(**BASE)
    x = torch.randn(QUERY)
    layer(x, x, use_causal_mask=True)
    assert calls == [(torch.Size([2, 2, 4, 3]), True)]  # key heads are not repeated
    layer(x, x, return_attention_scores=True)
    assert len(calls) == 1  # scores take the explicit softmax


@pytest.mark.parametrize("kwargs", [BASE, {**BASE, "dropout": 0.2}, {**BASE, "sliding_window": 2}],
                         ids=["fused", "dropout", "window"])
@pytest.mark.parametrize("use_causal_mask", [False, True])
def test_embedding_padding_masks_in_a_functional_model_match_keras(kwargs, use_causal_mask):
    tokens = np.array([[1, 2, 3, 0, 0], [4, 5, 6, 7, 0], [0, 0, 0, 0, 0]], dtype="int64")
    inputs = layers.Input(shape=(5,), dtype="int64")
    embedded = layers.Embedding(10, 6, mask_zero=True, name="emb")(inputs)
    attended = GroupQueryAttention(name="gqa", **kwargs)(embedded, embedded, use_causal_mask=use_causal_mask)
    pooled = layers.GlobalAveragePooling1D()(attended)
    model = fitorch.Model(inputs, [attended, pooled])
    model.eval()

    k_inputs = keras().Input(shape=(5,), dtype="int64")
    k_embedding = keras().layers.Embedding(10, 6, mask_zero=True)
    k_attention = keras().layers.GroupQueryAttention(**kwargs)
    k_embedded = k_embedding(k_inputs)
    k_attended = k_attention(k_embedded, k_embedded, use_causal_mask=use_causal_mask)
    k_model = keras().Model(k_inputs, [k_attended, keras().layers.GlobalAveragePooling1D()(k_attended)])
    k_embedding.set_weights(model.get_layer("emb").get_weights())
    k_attention.set_weights(model.get_layer("gqa").get_weights())

    attended_out, pooled_out = model(torch.from_numpy(tokens))
    k_attended_out, k_pooled_out = k_model(tokens)
    np.testing.assert_allclose(to_numpy(attended_out), to_numpy(k_attended_out), atol=1e-5)
    np.testing.assert_allclose(to_numpy(pooled_out), to_numpy(k_pooled_out), atol=1e-5)
    assert attended_out._keras_mask.tolist() == (tokens != 0).tolist()


def test_masking_layer_masks_key_and_value_in_cross_attention_like_keras():
    query, context = make_input(QUERY), make_input(VALUE)
    context[0, 2:] = 0.0
    context[1, :] = 0.0  # a fully masked context
    q_in, c_in = layers.Input(shape=QUERY[1:]), layers.Input(shape=VALUE[1:])
    out = GroupQueryAttention(name="gqa", **BASE)(q_in, Masking()(c_in), return_attention_scores=True)
    model = fitorch.Model([q_in, c_in], list(out))

    k_q, k_c = keras().Input(shape=QUERY[1:]), keras().Input(shape=VALUE[1:])
    k_attention = keras().layers.GroupQueryAttention(**BASE)
    k_out = k_attention(k_q, keras().layers.Masking()(k_c), return_attention_scores=True)
    k_model = keras().Model([k_q, k_c], list(k_out))
    k_attention.set_weights(model.get_layer("gqa").get_weights())

    ours = model([torch.from_numpy(query), torch.from_numpy(context)])
    theirs = k_model([query, context])
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=1e-5)
    assert float(ours[1][0, :, :, 2:].detach().abs().max()) == 0.0


@pytest.mark.parametrize("kwargs", [BASE, {**BASE, "dropout": 0.2}, {**BASE, "sliding_window": 3}],
                         ids=["fused", "dropout", "window"])
@pytest.mark.parametrize("return_attention_scores", [False, True])
def test_attention_mask_with_fully_masked_rows_matches_keras(kwargs, return_attention_scores):
    query, value = make_input(QUERY), make_input(VALUE)
    attention_mask = np.random.default_rng(3).random((2, 4, 5)) > 0.4
    attention_mask[0, 1] = False
    layer = GroupQueryAttention(**kwargs)
    layer.eval()
    layer(torch.from_numpy(query), torch.from_numpy(value))
    keras_layer = _keras_gqa(layer, kwargs, [QUERY, VALUE])
    for use_causal_mask in (False, True):
        call_kwargs = {"use_causal_mask": use_causal_mask, "return_attention_scores": return_attention_scores}
        ours = layer(torch.from_numpy(query), torch.from_numpy(value),
                     attention_mask=torch.from_numpy(attention_mask), **call_kwargs)
        theirs = keras_layer(query, value, attention_mask=attention_mask, **call_kwargs)
        ours, theirs = (ours, theirs) if return_attention_scores else ((ours,), (theirs,))
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=1e-5)


def test_explicit_query_value_and_key_masks_match_keras():
    query, value, key = make_input(QUERY), make_input(VALUE), make_input(KEY)
    query_mask = np.array([[1, 1, 0, 1], [1, 1, 1, 1]], dtype=bool)
    value_mask = np.array([[1, 1, 1, 1, 0], [1, 0, 1, 0, 1]], dtype=bool)
    key_mask = np.array([[1, 1, 0, 1, 1], [1, 1, 1, 1, 0]], dtype=bool)
    layer = GroupQueryAttention(**BASE)
    layer(torch.from_numpy(query), torch.from_numpy(value), torch.from_numpy(key))
    keras_layer = _keras_gqa(layer, BASE, [QUERY, VALUE, KEY])
    ours = layer(torch.from_numpy(query), torch.from_numpy(value), torch.from_numpy(key),
                 query_mask=torch.from_numpy(query_mask), value_mask=torch.from_numpy(value_mask),
                 key_mask=torch.from_numpy(key_mask))
    theirs = keras_layer(query, value, key, query_mask=query_mask, value_mask=value_mask, key_mask=key_mask)
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), atol=1e-5)


def test_dropout_in_training_drops_attention():
    x = torch.randn(QUERY)
    layer = GroupQueryAttention(**BASE, dropout=0.5, seed=3)
    layer.train()
    first, second = layer(x, x), layer(x, x)
    layer.eval()
    assert not torch.allclose(first, layer(x, x))
    assert not torch.allclose(first, second)


def test_symbolic_shapes_with_and_without_scores():
    q_in, v_in = layers.Input(shape=(None, 6)), layers.Input(shape=(None, 6))
    layer = GroupQueryAttention(**BASE)
    assert layer(q_in, v_in).shape == (None, None, 6)
    out, scores = layer(q_in, v_in, return_attention_scores=True)
    assert out.shape == (None, None, 6) and scores.shape == (None, 4, None, None)
    model = fitorch.Model([q_in, v_in], out)
    assert model([torch.randn(2, 9, 6), torch.randn(2, 11, 6)]).shape == (2, 9, 6)
    assert layer.compute_output_shape((None, 4, 6), (None, 5, 6)) == (None, 4, 6)


def test_config_round_trip_matches_keras_keys():
    kwargs = {**BASE, "dropout": 0.1, "sliding_window": 4, "use_gate": True, "seed": 1, "use_bias": False}
    layer = GroupQueryAttention(**kwargs)
    config = json.loads(json.dumps(layer.get_config()))
    assert GroupQueryAttention.from_config(config).get_config() == config
    keras_config = keras().layers.GroupQueryAttention(**kwargs).get_config()
    assert set(config) - {"name", "trainable"} <= set(keras_config)
    for key in ("head_dim", "num_query_heads", "num_key_value_heads", "use_bias", "use_gate", "sliding_window",
                "dropout", "seed"):
        assert config[key] == keras_config[key], key


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({**BASE, "head_dim": 0}, r"'g': head_dim must be a positive int; received head_dim=0"),
        ({**BASE, "num_query_heads": 2.0}, r"num_query_heads must be a positive int; received num_query_heads=2.0"),
        ({**BASE, "num_query_heads": 5}, r"`num_query_heads` must be divisible by `num_key_value_heads`; "
                                         r"received num_query_heads=5 and num_key_value_heads=2"),
        ({**BASE, "dropout": 1.0}, r"dropout must be a float in \[0, 1\); received dropout=1.0"),
        ({**BASE, "sliding_window": 0}, r"`sliding_window` must be `None` or a positive integer; received "
                                        r"sliding_window=0"),
        ({**BASE, "dropout": 0.1, "flash_attention": True}, r"dropout is not supported when flash attention"),
        ({**BASE, "kernel_regularizer": "l2"}, r"kernel_regularizer is not supported yet"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GroupQueryAttention(**kwargs, name="g")


def test_call_errors_are_explained():
    x = torch.zeros(QUERY)
    with pytest.raises(ValueError, match=r"GroupQueryAttention 'g1' is called as layer\(query, value, key=None, "
                       r"\.\.\.\); received no value\. For self-attention pass the same tensor twice"):
        GroupQueryAttention(**BASE, name="g1")(x)
    with pytest.raises(ValueError, match=r"'g2': all dimensions of value and key, except the last one, must be "
                       r"equal; received value shape \(2, 5, 6\) and key shape \(2, 4, 3\)"):
        GroupQueryAttention(**BASE, name="g2")(x, torch.zeros(VALUE), torch.zeros(2, 4, 3))
    with pytest.raises(ValueError, match=r"'g3': query must have rank 3 \(batch, steps, features\)"):
        GroupQueryAttention(**BASE, name="g3")(torch.zeros(2, 3, 4, 6), torch.zeros(2, 3, 4, 6))
    with pytest.raises(ValueError, match=r"returning attention scores is not supported when flash attention"):
        GroupQueryAttention(**BASE, flash_attention=True)(x, x, return_attention_scores=True)
    with pytest.raises(ValueError, match=r"the last dimension of query_shape and value_shape must be equal"):
        GroupQueryAttention(**BASE).compute_output_shape((None, 4, 6), (None, 5, 7))
