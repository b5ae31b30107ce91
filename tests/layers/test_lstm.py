from unittest import mock

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.layers.recurrent import LSTM
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

RIGHT_PADDED = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]], dtype=bool)
WITH_HOLES = np.array([[1, 0, 1, 1, 0, 1], [0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]], dtype=bool)


def assert_matches_keras(layer, keras_layer, x, atol=1e-5, **call_kwargs):
    """Runs ``layer`` and ``keras_layer`` (given ``layer``'s weights) on ``x`` with the same call arguments."""
    ours = layer(torch.from_numpy(x), **{k: _tensors(v) for k, v in call_kwargs.items()})
    keras_layer.build(x.shape)
    keras_layer.set_weights(layer.get_weights())
    theirs = keras_layer(x, **call_kwargs)
    ours, theirs = (o if isinstance(o, (tuple, list)) else (o,) for o in (ours, theirs))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=atol, rtol=atol)
    return ours


def _tensors(value):
    if isinstance(value, np.ndarray):
        return torch.from_numpy(value)
    if isinstance(value, list):
        return [_tensors(v) for v in value]
    return value


# torch.compile is checked once (compiling costs seconds); SimpleRNN's test compiles the per-step loop.
@pytest.mark.parametrize(
    ("kwargs", "check_compile"),
    [
        ({}, True),
        ({"return_sequences": True}, False),
        ({"return_state": True, "go_backwards": True}, False),
        ({"return_sequences": True, "return_state": True, "use_bias": False}, False),
        ({"unit_forget_bias": False, "bias_initializer": "ones"}, False),
        ({"activation": "relu", "recurrent_activation": "hard_sigmoid", "return_sequences": True}, False),
    ],
)
def test_lstm_matches_keras(kwargs, check_compile):
    run_layer_test(
        lambda: LSTM(5, **kwargs), (3, 6, 4), lambda: keras().layers.LSTM(5, **kwargs), check_compile=check_compile
    )


def test_lstm_over_60_steps_matches_keras_at_1e_4():
    run_layer_test(
        lambda: LSTM(8, return_sequences=True),
        (2, 60, 3),
        lambda: keras().layers.LSTM(8, return_sequences=True),
        atol=1e-4,
        check_compile=False,
    )


def test_lstm_with_dropout_runs_the_harness_and_is_deterministic_at_inference():
    layer = run_layer_test(
        lambda: LSTM(4, dropout=0.3, recurrent_dropout=0.2, seed=1),
        (3, 5, 2),
        lambda: keras().layers.LSTM(4, dropout=0.3, recurrent_dropout=0.2),
        deterministic_in_training=False,
        check_compile=False,
    )
    x = torch.randn(3, 5, 2)
    layer.train()
    assert not torch.equal(layer(x), layer(x))  # dropout draws new masks while training


def test_default_lstm_takes_torchs_fused_kernel_and_the_loop_gives_the_same_numbers():
    x = torch.randn(3, 6, 4)
    fused = LSTM(5, return_sequences=True, return_state=True)
    with mock.patch("torch.lstm", wraps=torch.lstm) as spy:
        fused_out = fused(x)
    assert spy.call_count == 1
    loop = LSTM(5, return_sequences=True, return_state=True, use_cudnn=False)
    loop(x)
    loop.load_state_dict(fused.state_dict())
    with mock.patch("torch.lstm", wraps=torch.lstm) as spy:
        loop_out = loop(x)
    assert spy.call_count == 0
    for a, b in zip(fused_out, loop_out, strict=True):
        torch.testing.assert_close(a, b, atol=1e-6, rtol=1e-5)


def test_custom_activations_and_recurrent_dropout_use_the_loop():
    x = torch.randn(2, 4, 3)
    for layer in (LSTM(3, activation="relu"), LSTM(3, recurrent_dropout=0.5)):
        layer.train()
        with mock.patch("torch.lstm", wraps=torch.lstm) as spy:
            layer(x)
        assert spy.call_count == 0


@pytest.mark.parametrize("mask", [RIGHT_PADDED, WITH_HOLES], ids=["right_padded", "with_holes"])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"return_sequences": True, "return_state": True},
        {"return_sequences": True, "return_state": True, "go_backwards": True},
        {"return_state": True, "go_backwards": True},
        {"return_sequences": True, "zero_output_for_mask": True},
    ],
)
def test_masked_lstm_matches_keras(mask, kwargs):
    x = make_input((3, 6, 4))
    layer = LSTM(5, **kwargs)
    layer(torch.from_numpy(x))
    assert_matches_keras(layer, keras().layers.LSTM(5, **kwargs), x, mask=mask)
    loop = LSTM(5, use_cudnn=False, **kwargs)
    loop(torch.from_numpy(x))
    loop.set_weights(layer.get_weights())
    assert_matches_keras(loop, keras().layers.LSTM(5, **kwargs), x, mask=mask)


def test_right_padded_mask_runs_fused_on_a_packed_sequence():
    layer = LSTM(4, return_sequences=True)
    x = torch.randn(3, 6, 2)
    with mock.patch("torch.lstm", wraps=torch.lstm) as spy:
        layer(x, mask=torch.from_numpy(RIGHT_PADDED))
        assert spy.call_count == 1
        layer(x, mask=torch.from_numpy(WITH_HOLES))  # holes need the loop
        assert spy.call_count == 1


def test_initial_state_matches_keras_with_and_without_mask():
    x = make_input((3, 6, 4))
    rng = np.random.default_rng(7)
    state = [rng.standard_normal((3, 5)).astype("float32") for _ in range(2)]
    layer = LSTM(5, return_sequences=True, return_state=True)
    layer(torch.from_numpy(x))
    make_keras = lambda: keras().layers.LSTM(5, return_sequences=True, return_state=True)  # noqa: E731
    assert_matches_keras(layer, make_keras(), x, initial_state=state)
    assert_matches_keras(layer, make_keras(), x, initial_state=state, mask=WITH_HOLES)
    assert_matches_keras(layer, make_keras(), x, initial_state=state, mask=RIGHT_PADDED)


def test_stateful_lstm_carries_states_across_batches_like_keras():
    x = make_input((2, 5, 3))
    layer = LSTM(4, stateful=True)
    keras_layer = keras().layers.LSTM(4, stateful=True)
    first = layer(torch.from_numpy(x))
    keras_layer.build(x.shape)
    keras_layer.set_weights(layer.get_weights())
    layer.reset_states()
    for _ in range(2):  # the second call continues from the first call's states
        np.testing.assert_allclose(to_numpy(layer(torch.from_numpy(x))), to_numpy(keras_layer(x)), atol=1e-5)
    assert not np.allclose(to_numpy(layer(torch.from_numpy(x))), to_numpy(first))
    assert [tuple(s.shape) for s in layer.states] == [(2, 4), (2, 4)]
    layer.reset_states()
    keras_layer.reset_state()
    np.testing.assert_allclose(to_numpy(layer(torch.from_numpy(x))), to_numpy(keras_layer(x)), atol=1e-5)
    torch.testing.assert_close(layer.reset_states() or layer(torch.from_numpy(x)), first)


def test_stateful_states_are_not_weights_and_can_be_set():
    layer = LSTM(3, stateful=True)
    layer(torch.zeros(2, 4, 1))
    assert len(layer.get_weights()) == 3
    assert sorted(layer.state_dict()) == ["bias", "weight_hh", "weight_ih"]
    layer.reset_states([torch.ones(2, 3), torch.zeros(2, 3)])
    expected = layer(torch.zeros(2, 4, 1), initial_state=[torch.ones(2, 3), torch.zeros(2, 3)])
    layer.reset_states([torch.ones(2, 3), torch.zeros(2, 3)])
    torch.testing.assert_close(layer(torch.zeros(2, 4, 1)), expected)


def test_embedding_mask_zero_reaches_lstm_in_a_functional_model_like_keras():
    tokens = np.array([[3, 5, 2, 0, 0], [1, 0, 0, 0, 0], [4, 4, 4, 4, 4]], dtype="int64")
    inputs = layers.Input(shape=(5,), dtype="int64")
    embedded = layers.Embedding(10, 6, mask_zero=True, name="emb")(inputs)
    sequence = LSTM(4, return_sequences=True, name="seq")(embedded)
    last, h, c = LSTM(3, return_state=True, name="last")(sequence)
    model = fitorch.Model(inputs, [sequence, last, h, c])
    assert [t.shape for t in model.outputs] == [(None, 5, 4), (None, 3), (None, 3), (None, 3)]
    outputs = model(torch.from_numpy(tokens))
    torch.testing.assert_close(outputs[0]._keras_mask, torch.from_numpy(tokens != 0))

    k_inputs = keras().Input(shape=(5,), dtype="int64")
    k_emb = keras().layers.Embedding(10, 6, mask_zero=True)
    k_seq = keras().layers.LSTM(4, return_sequences=True)
    k_last = keras().layers.LSTM(3, return_state=True)
    k_sequence = k_seq(k_emb(k_inputs))
    k_model = keras().Model(k_inputs, [k_sequence, *k_last(k_sequence)])
    for keras_layer, name in ((k_emb, "emb"), (k_seq, "seq"), (k_last, "last")):
        keras_layer.set_weights(model.get_layer(name).get_weights())
    for ours, theirs in zip(outputs, k_model(tokens), strict=True):
        np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), atol=1e-5)


def test_encoder_states_initialize_a_decoder_in_a_functional_model_like_keras():
    encoder_inputs, decoder_inputs = layers.Input(shape=(5, 3)), layers.Input(shape=(4, 2))
    _, h, c = LSTM(6, return_state=True, name="encoder")(encoder_inputs)
    decoded = LSTM(6, return_sequences=True, name="decoder")(decoder_inputs, initial_state=[h, c])
    model = fitorch.Model([encoder_inputs, decoder_inputs], decoded)
    x1, x2 = make_input((2, 5, 3)), make_input((2, 4, 2))

    k_encoder = keras().layers.LSTM(6, return_state=True)
    k_decoder = keras().layers.LSTM(6, return_sequences=True)
    k_inputs = [keras().Input((5, 3)), keras().Input((4, 2))]
    _, k_h, k_c = k_encoder(k_inputs[0])
    k_model = keras().Model(k_inputs, k_decoder(k_inputs[1], initial_state=[k_h, k_c]))
    k_encoder.set_weights(model.get_layer("encoder").get_weights())
    k_decoder.set_weights(model.get_layer("decoder").get_weights())
    ours = model([torch.from_numpy(x1), torch.from_numpy(x2)])
    np.testing.assert_allclose(to_numpy(ours), to_numpy(k_model([x1, x2])), atol=1e-5)


def test_lstm_trains_in_a_sequential_model():
    x = np.random.default_rng(0).standard_normal((16, 7, 3)).astype("float32")
    y = x.sum(axis=(1, 2))[:, None]
    model = fitorch.Sequential([layers.Input(shape=(7, 3)), LSTM(8), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_lstm_weights_and_unit_forget_bias():
    layer = LSTM(4)
    layer(torch.zeros(1, 2, 3))
    assert layer.weight_ih.shape == (16, 3) and layer.weight_hh.shape == (16, 4)
    assert layer.bias[4:8].tolist() == [1.0] * 4 and layer.bias[:4].tolist() == [0.0] * 4
    kernel, recurrent, bias = layer.get_weights()
    assert kernel.shape == (3, 16) and recurrent.shape == (4, 16) and bias.shape == (16,)
    # Keras' orthogonal recurrent kernel: (units, 4 * units) with orthonormal rows.
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(4), atol=1e-5)


def test_lstm_set_weights_checks_every_shape_before_changing_anything():
    layer = LSTM(4)
    layer(torch.zeros(1, 2, 3))
    before = layer.get_weights()
    bad = [np.ones((3, 16), "float32"), np.ones((4, 16), "float32"), np.ones((15,), "float32")]
    with pytest.raises(ValueError, match="weight 2 expected shape"):
        layer.set_weights(bad)
    for a, b in zip(before, layer.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_lstm_argument_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"LSTM 'l': units must be a positive int; received units=0"):
        LSTM(0, name="l")
    with pytest.raises(ValueError, match=r"dropout must be a float in \[0, 1\).*received dropout=1.5"):
        LSTM(3, dropout=1.5)
    with pytest.raises(ValueError, match="use_cudnn must be 'auto', True or False"):
        LSTM(3, use_cudnn="yes")
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        LSTM(3, unitz=4)


def test_lstm_call_errors_name_the_layer_and_shapes():
    layer = LSTM(4, name="enc")
    x = torch.zeros(2, 5, 3)
    with pytest.raises(ValueError, match=r"'enc': mask must be a boolean tensor of shape \(batch, timesteps\) = "
                       r"\(2, 5\); received \(2, 4\)"):
        layer(x, mask=torch.ones(2, 4, dtype=torch.bool))
    with pytest.raises(ValueError, match=r"initial_state must be a list of 2 tensors of shapes \(2, 4\), \(2, 4\); "
                       r"received 1"):
        layer(x, initial_state=[torch.zeros(2, 4)])
    with pytest.raises(ValueError, match=r"layer 'enc' \(LSTM\) is incompatible: expected ndim=3"):
        layer(layers.Input(shape=(5,)))
    with pytest.raises(ValueError, match="use_cudnn=True, but the fused kernel cannot run"):
        LSTM(3, activation="relu", use_cudnn=True)(x)


def test_stateful_batch_size_mismatch_is_explained():
    layer = LSTM(2, stateful=True, name="s")
    layer(torch.zeros(4, 3, 1))
    with pytest.raises(ValueError, match=r"(?s)'s' is stateful.*Expected batch size: 4\n- Received batch size: 3"):
        layer(torch.zeros(3, 3, 1))
