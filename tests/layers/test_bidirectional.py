import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.layers.recurrent import GRU, LSTM, Bidirectional, SimpleRNN
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

MASK = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 1, 0, 1]], dtype=bool)


def compare_with_keras(layer, keras_layer, x, atol=1e-5, **call_kwargs):
    ours = layer(torch.from_numpy(x), **{k: _tensors(v) for k, v in call_kwargs.items()})
    keras_layer.build(x.shape)
    keras_layer.set_weights(layer.get_weights())
    theirs = keras_layer(x, **call_kwargs)
    ours, theirs = (o if isinstance(o, (tuple, list)) else (o,) for o in (ours, theirs))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=atol, rtol=atol)


def _tensors(value):
    if isinstance(value, np.ndarray):
        return torch.from_numpy(value)
    return [_tensors(v) for v in value] if isinstance(value, list) else value


@pytest.mark.parametrize(
    ("merge_mode", "kwargs", "check_compile"),
    [
        ("concat", {}, True),
        ("sum", {"return_sequences": True}, False),
        ("mul", {}, False),
        ("ave", {"return_sequences": True, "return_state": True}, False),
        (None, {"return_sequences": True}, False),
        (None, {"return_state": True}, False),
    ],
)
def test_bidirectional_lstm_matches_keras(merge_mode, kwargs, check_compile):
    run_layer_test(
        lambda: Bidirectional(LSTM(3, **kwargs), merge_mode=merge_mode),
        (2, 5, 4),
        lambda: keras().layers.Bidirectional(keras().layers.LSTM(3, **kwargs), merge_mode=merge_mode),
        check_compile=check_compile,
    )


@pytest.mark.parametrize("layer", ["gru", "gru_reset_before", "simple_rnn"])
def test_bidirectional_gru_and_simple_rnn_match_keras(layer):
    make = {
        "gru": lambda m: m.GRU(3, return_sequences=True),
        "gru_reset_before": lambda m: m.GRU(3, reset_after=False, return_state=True),
        "simple_rnn": lambda m: m.SimpleRNN(3, return_sequences=True),
    }[layer]
    run_layer_test(
        lambda: Bidirectional(make(fitorch.layers.recurrent)),
        (2, 5, 4),
        lambda: keras().layers.Bidirectional(make(keras().layers)),
        check_compile=False,
    )


def test_bidirectional_over_60_steps_matches_keras_at_1e_4():
    x = make_input((2, 60, 3))
    layer = Bidirectional(GRU(4, return_sequences=True))
    layer(torch.from_numpy(x))
    compare_with_keras(layer, keras().layers.Bidirectional(keras().layers.GRU(4, return_sequences=True)), x, atol=1e-4)


@pytest.mark.parametrize("merge_mode", ["concat", None])
@pytest.mark.parametrize("kwargs", [{"return_sequences": True}, {"return_state": True}])
@pytest.mark.parametrize("rnn", ["LSTM", "GRU"])
def test_masked_bidirectional_matches_keras(merge_mode, kwargs, rnn):
    x = make_input((3, 5, 4))
    layer = Bidirectional(getattr(fitorch.layers.recurrent, rnn)(3, **kwargs), merge_mode=merge_mode)
    layer(torch.from_numpy(x))
    keras_layer = keras().layers.Bidirectional(getattr(keras().layers, rnn)(3, **kwargs), merge_mode=merge_mode)
    compare_with_keras(layer, keras_layer, x, mask=MASK)


def test_masked_steps_output_zeros_in_both_directions():
    layer = Bidirectional(LSTM(2, return_sequences=True))
    out = layer(torch.randn(3, 5, 4), mask=torch.from_numpy(MASK))
    assert torch.count_nonzero(out[torch.from_numpy(~MASK)]) == 0
    assert layer.forward_layer.zero_output_for_mask and layer.backward_layer.zero_output_for_mask


def test_initial_state_is_split_between_the_directions_like_keras():
    x = make_input((3, 5, 4))
    rng = np.random.default_rng(11)
    states = [rng.standard_normal((3, 2)).astype("float32") for _ in range(4)]
    layer = Bidirectional(LSTM(2, return_sequences=True, return_state=True))
    layer(torch.from_numpy(x))
    keras_layer = keras().layers.Bidirectional(keras().layers.LSTM(2, return_sequences=True, return_state=True))
    compare_with_keras(layer, keras_layer, x, initial_state=states)


def test_stateful_bidirectional_matches_keras_and_resets():
    x = make_input((2, 4, 3))
    layer = Bidirectional(GRU(3, stateful=True))
    layer(torch.from_numpy(x))
    layer.reset_states()
    keras_layer = keras().layers.Bidirectional(keras().layers.GRU(3, stateful=True))
    keras_layer.build(x.shape)
    keras_layer.set_weights(layer.get_weights())
    first = to_numpy(layer(torch.from_numpy(x)))
    np.testing.assert_allclose(first, to_numpy(keras_layer(x)), atol=1e-5)
    np.testing.assert_allclose(to_numpy(layer(torch.from_numpy(x))), to_numpy(keras_layer(x)), atol=1e-5)
    assert len(layer.states) == 2
    layer.reset_states()
    np.testing.assert_allclose(to_numpy(layer(torch.from_numpy(x))), first, atol=1e-6)
    with pytest.raises(AttributeError, match="reset_states\\(\\) needs a stateful layer"):
        Bidirectional(GRU(3)).reset_states()


def test_embedding_mask_flows_through_bidirectional_in_a_functional_model():
    tokens = np.array([[1, 4, 2, 0], [3, 0, 0, 0]], dtype="int64")
    inputs = layers.Input(shape=(4,), dtype="int64")
    embedded = layers.Embedding(5, 3, mask_zero=True, name="emb")(inputs)
    encoded = Bidirectional(LSTM(2, return_sequences=True), name="bi")(embedded)
    pooled = Bidirectional(GRU(2), merge_mode="sum", name="bi2")(encoded)
    model = fitorch.Model(inputs, [encoded, pooled])
    assert [t.shape for t in model.outputs] == [(None, 4, 4), (None, 2)]
    encoded_out, pooled_out = model(torch.from_numpy(tokens))
    torch.testing.assert_close(encoded_out._keras_mask, torch.from_numpy(tokens != 0))

    k_in = keras().Input(shape=(4,), dtype="int64")
    k_emb = keras().layers.Embedding(5, 3, mask_zero=True)
    k_bi = keras().layers.Bidirectional(keras().layers.LSTM(2, return_sequences=True))
    k_bi2 = keras().layers.Bidirectional(keras().layers.GRU(2), merge_mode="sum")
    k_encoded = k_bi(k_emb(k_in))
    k_model = keras().Model(k_in, [k_encoded, k_bi2(k_encoded)])
    for keras_layer, name in ((k_emb, "emb"), (k_bi, "bi"), (k_bi2, "bi2")):
        keras_layer.set_weights(model.get_layer(name).get_weights())
    for ours, theirs in zip((encoded_out, pooled_out), k_model(tokens), strict=True):
        np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), atol=1e-5)


def test_sublayers_are_named_and_weights_ordered_like_keras():
    layer = Bidirectional(LSTM(2, name="enc"))
    layer(torch.zeros(1, 3, 4))
    assert (layer.forward_layer.name, layer.backward_layer.name) == ("forward_enc", "backward_enc")
    assert list(layer.state_dict())[:3] == ["forward_layer.weight_ih", "forward_layer.weight_hh", "forward_layer.bias"]
    weights = layer.get_weights()
    assert len(weights) == 6
    np.testing.assert_array_equal(weights[3], layer.backward_layer.get_weights()[0])


def test_custom_backward_layer_is_used():
    backward = SimpleRNN(3, go_backwards=True, activation="relu", name="back")
    layer = Bidirectional(SimpleRNN(3), backward_layer=backward)
    assert layer.backward_layer is backward
    assert layer(torch.randn(2, 4, 2)).shape == (2, 6)


def test_set_weights_is_all_or_nothing():
    layer = Bidirectional(GRU(2))
    layer(torch.zeros(1, 3, 4))
    before = layer.get_weights()
    bad = [np.ones_like(w) for w in before]
    bad[-1] = np.ones((3, 3), "float32")  # a wrong backward bias
    with pytest.raises(ValueError, match="weight 2 expected Keras shape"):
        layer.set_weights(bad)
    for a, b in zip(before, layer.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="set_weights expected 6 arrays, received 5"):
        layer.set_weights(before[:5])


def test_bidirectional_errors():
    with pytest.raises(ValueError, match=r"merge_mode must be one of 'concat', 'sum', 'mul', 'ave' or None; "
                       r"received merge_mode='max'"):
        Bidirectional(LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match=r"layer must be a recurrent layer .*received .* of type Dense"):
        Bidirectional(layers.Dense(2))
    with pytest.raises(ValueError, match="must have different go_backwards"):
        Bidirectional(LSTM(2, go_backwards=True))
    with pytest.raises(ValueError, match="must have the same return_sequences"):
        Bidirectional(LSTM(2), backward_layer=LSTM(2, go_backwards=True, return_sequences=True))
