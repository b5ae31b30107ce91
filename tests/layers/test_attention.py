import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.layers.attention import Attention
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

QUERY, VALUE, KEY = (2, 4, 5), (2, 6, 5), (2, 6, 5)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"use_scale": True}, {"score_mode": "concat"}, {"score_mode": "concat", "use_scale": True}],
)
@pytest.mark.parametrize("shapes", [[QUERY, VALUE], [QUERY, (2, 6, 3), KEY]], ids=["qv", "qvk"])
def test_attention_matches_keras(kwargs, shapes):
    run_layer_test(lambda: Attention(**kwargs), shapes, lambda: keras().layers.Attention(**kwargs))


def test_dropout_attention_matches_keras_in_inference():
    run_layer_test(
        lambda: Attention(dropout=0.5),
        [QUERY, VALUE],
        lambda: keras().layers.Attention(dropout=0.5),
        deterministic_in_training=False,
    )


def _call_both(kwargs, call_kwargs, masks, inputs=None):
    inputs = inputs or [make_input(QUERY), make_input(VALUE)]
    layer = Attention(**kwargs)
    layer([torch.from_numpy(x) for x in inputs])
    with torch.no_grad():
        for weight in layer.parameters():
            weight.fill_(1.7)
    keras_layer = keras().layers.Attention(**kwargs)
    keras_layer.build([x.shape for x in inputs])
    keras_layer.set_weights(layer.get_weights())
    torch_masks = None if masks is None else [torch.from_numpy(m) for m in masks]
    ours = layer([torch.from_numpy(x) for x in inputs], mask=torch_masks, **call_kwargs)
    theirs = keras_layer(inputs, mask=masks, **call_kwargs)
    return ours, theirs


MASKS = [
    np.array([[True, True, False, True], [True, False, False, False]]),
    np.array([[True, True, True, False, False, False], [False] * 6]),  # a fully masked example
]


@pytest.mark.parametrize("kwargs", [{}, {"use_scale": True}, {"score_mode": "concat"}])
@pytest.mark.parametrize("use_causal_mask", [False, True])
@pytest.mark.parametrize("return_attention_scores", [False, True])
def test_masks_causal_and_scores_match_keras(kwargs, use_causal_mask, return_attention_scores):
    call_kwargs = {"use_causal_mask": use_causal_mask, "return_attention_scores": return_attention_scores}
    ours, theirs = _call_both(kwargs, call_kwargs, MASKS)
    ours = ours if return_attention_scores else (ours,)
    theirs = theirs if return_attention_scores else (theirs,)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=1e-5, rtol=1e-5)


def test_masked_query_steps_output_zeros():
    ours, _ = _call_both({}, {}, MASKS)
    assert float(ours[0, 2].abs().sum()) == 0.0 and float(ours[0, 0].abs().sum()) > 0.0


def test_scores_are_the_weights_after_masking_and_softmax():
    _, scores = Attention()([torch.randn(QUERY), torch.randn(VALUE)],
                            mask=[None, torch.from_numpy(MASKS[1][:1]).expand(2, 6)], return_attention_scores=True)
    torch.testing.assert_close(scores.sum(-1), torch.ones(2, 4))
    assert float(scores[..., 3:].max()) == 0.0


def test_dot_mode_runs_the_fused_kernel_and_scores_the_explicit_one(monkeypatch):
    calls = []
    fused = torch.nn.functional.scaled_dot_product_attention

    def spy(*args, **kwargs):
        calls.append(kwargs.get("attn_mask"))
        return fused(*args, **kwargs)

    monkeypatch.setattr(torch.nn.functional, "scaled_dot_product_attention", spy)
    layer = Attention(use_scale=True)
    inputs = [torch.randn(QUERY), torch.randn(VALUE)]
    layer(inputs, mask=[None, torch.from_numpy(MASKS[1])])
    assert len(calls) == 1 and calls[0].shape == (2, 1, 6)
    layer(inputs, return_attention_scores=True)
    Attention(score_mode="concat")(inputs)
    assert len(calls) == 1


def test_gradient_reaches_the_learned_scale_through_the_fused_kernel():
    layer = Attention(use_scale=True)
    layer([torch.randn(QUERY), torch.randn(VALUE)]).square().sum().backward()
    assert layer.scale.grad is not None and float(layer.scale.grad.abs()) > 0


def test_masks_from_embeddings_in_a_functional_model_match_keras():
    q_tokens = np.array([[1, 2, 3, 0], [4, 5, 0, 0]], dtype="int64")
    v_tokens = np.array([[6, 7, 0, 0, 0], [8, 9, 1, 2, 0]], dtype="int64")

    q_in, v_in = layers.Input(shape=(4,), dtype="int64"), layers.Input(shape=(5,), dtype="int64")
    embedding = layers.Embedding(10, 6, mask_zero=True, name="emb")
    attended = Attention(use_scale=True, name="att")([embedding(q_in), embedding(v_in)], use_causal_mask=True)
    model = fitorch.Model([q_in, v_in], layers.GlobalAveragePooling1D()(attended))

    k_q, k_v = keras().Input(shape=(4,), dtype="int64"), keras().Input(shape=(5,), dtype="int64")
    k_embedding = keras().layers.Embedding(10, 6, mask_zero=True)
    k_attention = keras().layers.Attention(use_scale=True)
    k_attended = k_attention([k_embedding(k_q), k_embedding(k_v)], use_causal_mask=True)
    k_model = keras().Model([k_q, k_v], keras().layers.GlobalAveragePooling1D()(k_attended))
    k_embedding.set_weights(model.get_layer("emb").get_weights())
    k_attention.set_weights([np.array(0.5, dtype="float32")])
    model.get_layer("att").set_weights([np.array(0.5, dtype="float32")])

    out = model([torch.from_numpy(q_tokens), torch.from_numpy(v_tokens)])
    np.testing.assert_allclose(to_numpy(out), to_numpy(k_model([q_tokens, v_tokens])), atol=1e-6)


def test_return_attention_scores_in_a_functional_model():
    q_in, v_in = layers.Input(shape=(4, 5)), layers.Input(shape=(6, 5))
    out, scores = Attention()([q_in, v_in], return_attention_scores=True)
    assert out.shape == (None, 4, 5) and scores.shape == (None, 4, 6)
    model = fitorch.Model([q_in, v_in], [out, scores])
    real_out, real_scores = model([torch.randn(QUERY), torch.randn(VALUE)])
    assert real_out.shape == (2, 4, 5) and real_scores.shape == (2, 4, 6)


def test_output_mask_is_the_query_mask():
    q_mask = torch.from_numpy(MASKS[0])
    assert Attention().compute_mask([torch.zeros(QUERY), torch.zeros(VALUE)], [q_mask, None]) is q_mask
    assert Attention().compute_mask([torch.zeros(QUERY), torch.zeros(VALUE)], None) is None


def test_bad_score_mode():
    with pytest.raises(ValueError, match=r"Attention 'att': score_mode must be one of .*received score_mode='add'"):
        Attention(score_mode="add", name="att")


def test_bad_dropout():
    with pytest.raises(ValueError, match=r"dropout must be a float in \[0, 1\); received dropout=1.0"):
        Attention(dropout=1.0)


def test_single_tensor_is_refused():
    with pytest.raises(ValueError, match=r"must be called on a list of inputs, namely \[query, value\]"):
        Attention(name="att1")(torch.zeros(QUERY))


def test_wrong_number_of_inputs_is_refused():
    with pytest.raises(ValueError, match=r"accepts a list of 2 or 3 inputs.*received 1"):
        Attention()([torch.zeros(QUERY)])


def test_mask_must_be_a_list():
    with pytest.raises(ValueError, match=r"mask must be a list, namely \[query_mask, value_mask\]"):
        Attention()([torch.zeros(QUERY), torch.zeros(VALUE)], mask=torch.ones(2, 4, dtype=torch.bool))
