from unittest import mock

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.layers.recurrent import SimpleRNN
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

LEFT_PADDED = np.array([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1], [0, 1, 1, 1, 1]], dtype=bool)
RIGHT_PADDED = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=bool)


def compare_with_keras(layer, keras_layer, x, atol=1e-5, **call_kwargs):
    ours = layer(torch.from_numpy(x), **{k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v
                                         for k, v in call_kwargs.items()})
    keras_layer.build(x.shape)
    keras_layer.set_weights(layer.get_weights())
    theirs = keras_layer(x, **call_kwargs)
    ours, theirs = (o if isinstance(o, (tuple, list)) else (o,) for o in (ours, theirs))
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=atol, rtol=atol)


@pytest.mark.parametrize(
    ("kwargs", "check_compile"),
    [
        ({}, True),
        ({"return_sequences": True}, False),
        ({"return_state": True, "go_backwards": True, "return_sequences": True}, False),
        ({"activation": "relu"}, False),
        ({"activation": "sigmoid", "use_bias": False}, True),
        ({"activation": None, "bias_initializer": "ones"}, False),
    ],
)
def test_simple_rnn_matches_keras(kwargs, check_compile):
    run_layer_test(
        lambda: SimpleRNN(4, **kwargs),
        (3, 5, 2),
        lambda: keras().layers.SimpleRNN(4, **kwargs),
        check_compile=check_compile,
    )


def test_simple_rnn_over_80_steps_matches_keras_at_1e_4():
    x = make_input((2, 80, 3))
    layer = SimpleRNN(6, return_sequences=True)
    layer(torch.from_numpy(x))
    compare_with_keras(layer, keras().layers.SimpleRNN(6, return_sequences=True), x, atol=1e-4)


def test_simple_rnn_with_dropout_runs_the_harness():
    run_layer_test(
        lambda: SimpleRNN(4, dropout=0.5, recurrent_dropout=0.5, seed=2),
        (3, 5, 2),
        lambda: keras().layers.SimpleRNN(4, dropout=0.5, recurrent_dropout=0.5),
        deterministic_in_training=False,
        check_compile=False,
    )


@pytest.mark.parametrize(("activation", "kernel"), [("tanh", "rnn_tanh"), ("relu", "rnn_relu")])
def test_tanh_and_relu_take_torchs_fused_kernels_and_the_loop_agrees(activation, kernel):
    x = torch.randn(2, 6, 3)
    fused = SimpleRNN(4, activation=activation, return_sequences=True)
    with mock.patch(f"torch.{kernel}", wraps=getattr(torch, kernel)) as spy:
        expected = fused(x)
    assert spy.call_count == 1
    loop = SimpleRNN(4, activation=activation, return_sequences=True, use_cudnn=False)
    loop(x)
    loop.load_state_dict(fused.state_dict())
    with mock.patch(f"torch.{kernel}", wraps=getattr(torch, kernel)) as spy:
        torch.testing.assert_close(loop(x), expected, atol=1e-6, rtol=1e-5)
    assert spy.call_count == 0


@pytest.mark.parametrize("mask", [LEFT_PADDED, RIGHT_PADDED], ids=["left_padded", "right_padded"])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_masked_simple_rnn_matches_keras(mask, go_backwards):
    x = make_input((3, 5, 2))
    kwargs = {"return_sequences": True, "return_state": True, "go_backwards": go_backwards}
    layer = SimpleRNN(3, **kwargs)
    layer(torch.from_numpy(x))
    compare_with_keras(layer, keras().layers.SimpleRNN(3, **kwargs), x, mask=mask)


def test_left_padding_cannot_be_packed_and_runs_the_loop():
    layer = SimpleRNN(3)
    with mock.patch("torch.rnn_tanh", wraps=torch.rnn_tanh) as spy:
        layer(torch.randn(3, 5, 2), mask=torch.from_numpy(LEFT_PADDED))
    assert spy.call_count == 0


def test_initial_state_and_stateful_match_keras():
    x = make_input((3, 5, 2))
    state = np.random.default_rng(3).standard_normal((3, 4)).astype("float32")
    layer = SimpleRNN(4, return_state=True)
    layer(torch.from_numpy(x))
    compare_with_keras(layer, keras().layers.SimpleRNN(4, return_state=True), x, initial_state=[state])

    stateful = SimpleRNN(4, stateful=True)
    stateful.build((3, 5, 2))
    keras_layer = keras().layers.SimpleRNN(4, stateful=True)
    keras_layer.build((3, 5, 2))
    keras_layer.set_weights(stateful.get_weights())
    for _ in range(2):
        np.testing.assert_allclose(to_numpy(stateful(torch.from_numpy(x))), to_numpy(keras_layer(x)), atol=1e-5)


def test_masked_sequence_output_keeps_the_mask_and_the_last_output_drops_it():
    inputs = layers.Input(shape=(5,), dtype="int64")
    embedded = layers.Embedding(8, 3, mask_zero=True)(inputs)
    sequence = SimpleRNN(2, return_sequences=True)(embedded)
    last = SimpleRNN(2)(sequence)
    model = fitorch.Model(inputs, [sequence, last])
    tokens = torch.tensor([[1, 2, 0, 0, 0], [3, 3, 3, 3, 3]])
    out_sequence, out_last = model(tokens)
    torch.testing.assert_close(out_sequence._keras_mask, tokens != 0)
    assert getattr(out_last, "_keras_mask", None) is None
    # A masked step repeats the previous output.
    torch.testing.assert_close(out_sequence[0, 2:], out_sequence[0, 1].expand(3, 2))


def test_simple_rnn_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"SimpleRNN 'r': units must be a positive int; received units=2.5"):
        SimpleRNN(2.5, name="r")
    with pytest.raises(TypeError, match="seed must be an int or None"):
        SimpleRNN(2, seed="x")
    with pytest.raises(ValueError, match="Unknown activation: 'tanhh'"):
        SimpleRNN(2, activation="tanhh")
    layer = SimpleRNN(2, name="r2")
    with pytest.raises(ValueError, match=r"'r2': the input has no timesteps"):
        layer(torch.zeros(2, 0, 3))
    with pytest.raises(ValueError, match=r"SimpleRNN 'r3': the last axis of the input \(features\) must be known"):
        SimpleRNN(2, name="r3")(layers.Input(shape=(4, None)))
