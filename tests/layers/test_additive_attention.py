import numpy as np
import pytest
import torch

from fitorch import layers
from fitorch.layers.attention import AdditiveAttention
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

QUERY, VALUE = (2, 4, 5), (2, 6, 5)


@pytest.mark.parametrize("use_scale", [True, False])
@pytest.mark.parametrize("shapes", [[QUERY, VALUE], [QUERY, (2, 6, 3), VALUE]], ids=["qv", "qvk"])
def test_additive_attention_matches_keras(use_scale, shapes):
    run_layer_test(
        lambda: AdditiveAttention(use_scale=use_scale),
        shapes,
        lambda: keras().layers.AdditiveAttention(use_scale=use_scale),
    )


@pytest.mark.parametrize("use_causal_mask", [False, True])
def test_masks_and_scores_match_keras(use_causal_mask):
    inputs = [make_input(QUERY), make_input(VALUE)]
    masks = [
        np.array([[True, True, False, True], [True, False, False, False]]),
        np.array([[True, True, True, False, False, False], [False] * 6]),
    ]
    layer = AdditiveAttention()
    layer([torch.from_numpy(x) for x in inputs])
    keras_layer = keras().layers.AdditiveAttention()
    keras_layer.build([x.shape for x in inputs])
    keras_layer.set_weights(layer.get_weights())
    ours = layer([torch.from_numpy(x) for x in inputs], mask=[torch.from_numpy(m) for m in masks],
                 use_causal_mask=use_causal_mask, return_attention_scores=True)
    theirs = keras_layer(inputs, mask=masks, use_causal_mask=use_causal_mask, return_attention_scores=True)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=1e-5, rtol=1e-5)


def test_scale_is_per_feature_and_glorot_uniform():
    layer = AdditiveAttention()
    layer([torch.zeros(1, 1, 400), torch.zeros(1, 1, 400)])
    assert layer.scale.shape == (400,)
    limit = np.sqrt(6 / 800)
    assert 0.9 * limit < float(layer.scale.detach().abs().max()) <= limit


def test_config_has_no_score_mode():
    config = AdditiveAttention(use_scale=False, dropout=0.1).get_config()
    assert "score_mode" not in config and config["use_scale"] is False and config["dropout"] == 0.1


def test_symbolic_output_shape():
    out = AdditiveAttention()([layers.Input(shape=(4, 5)), layers.Input(shape=(6, 5))])
    assert out.shape == (None, 4, 5)


def test_too_many_inputs_are_refused():
    with pytest.raises(ValueError, match=r"accepts a list of 2 or 3 inputs"):
        AdditiveAttention(name="add")([torch.zeros(QUERY)] * 4)
