import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.layers.recurrent import ConvLSTM2D
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

MASK = np.array([[1, 1, 0, 1], [1, 1, 1, 0]], dtype=bool)


def compare_with_keras(layer, keras_layer, x, atol=1e-5, **call_kwargs):
    converted = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else [torch.from_numpy(s) for s in v]
                 for k, v in call_kwargs.items()}
    ours = layer(torch.from_numpy(x), **converted)
    keras_layer.build(x.shape)
    keras_layer.set_weights(layer.get_weights())
    theirs = keras_layer(x, **call_kwargs)
    ours, theirs = (o if isinstance(o, (tuple, list)) else (o,) for o in (ours, theirs))
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=atol, rtol=atol)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"padding": "same", "return_sequences": True},
        {"strides": 2, "padding": "same", "return_state": True},
        {"kernel_size": (2, 3), "padding": "same", "go_backwards": True, "return_sequences": True},
        {"dilation_rate": 2, "use_bias": False, "unit_forget_bias": False},
        {"activation": "relu", "recurrent_activation": "hard_sigmoid", "return_state": True},
    ],
)
def test_conv_lstm2d_matches_keras(kwargs):
    kwargs = dict(kwargs)
    kernel_size = kwargs.pop("kernel_size", 3)
    run_layer_test(
        lambda: ConvLSTM2D(3, kernel_size, **kwargs),
        (2, 4, 7, 7, 2),
        lambda: keras().layers.ConvLSTM2D(3, kernel_size, **kwargs),
        check_compile=False,  # compiled once below, on a short sequence (compiling unrolls the loop)
    )


def test_conv_lstm2d_compiles():
    run_layer_test(
        lambda: ConvLSTM2D(2, 3, return_sequences=True),
        (1, 2, 4, 4, 1),
        lambda: keras().layers.ConvLSTM2D(2, 3, return_sequences=True),
    )


def test_conv_lstm2d_channels_first_matches_keras():
    run_layer_test(
        lambda: ConvLSTM2D(2, 3, data_format="channels_first", padding="same", return_sequences=True),
        (2, 3, 2, 5, 5),
        lambda: keras().layers.ConvLSTM2D(2, 3, data_format="channels_first", padding="same", return_sequences=True),
        check_compile=False,
    )


def test_conv_lstm2d_over_50_steps_matches_keras_at_1e_4():
    x = make_input((1, 50, 3, 3, 1))
    layer = ConvLSTM2D(2, 3, padding="same", return_sequences=True)
    layer(torch.from_numpy(x))
    compare_with_keras(layer, keras().layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True), x, atol=1e-4)


def test_conv_lstm2d_with_dropout_runs_the_harness():
    run_layer_test(
        lambda: ConvLSTM2D(2, 3, dropout=0.3, recurrent_dropout=0.3, seed=4, padding="same"),
        (2, 3, 5, 5, 2),
        lambda: keras().layers.ConvLSTM2D(2, 3, dropout=0.3, recurrent_dropout=0.3, padding="same"),
        deterministic_in_training=False,
        check_compile=False,
    )


@pytest.mark.parametrize("go_backwards", [False, True])
def test_masked_conv_lstm2d_matches_keras(go_backwards):
    x = make_input((2, 4, 5, 5, 2))
    kwargs = {"padding": "same", "return_sequences": True, "return_state": True, "go_backwards": go_backwards}
    layer = ConvLSTM2D(3, 3, **kwargs)
    layer(torch.from_numpy(x))
    compare_with_keras(layer, keras().layers.ConvLSTM2D(3, 3, **kwargs), x, mask=MASK)


def test_initial_state_in_keras_layout_matches_keras():
    x = make_input((2, 4, 5, 5, 2))
    rng = np.random.default_rng(2)
    states = [rng.standard_normal((2, 3, 3, 3)).astype("float32") for _ in range(2)]
    layer = ConvLSTM2D(3, 3, return_sequences=True)
    layer(torch.from_numpy(x))
    compare_with_keras(layer, keras().layers.ConvLSTM2D(3, 3, return_sequences=True), x, initial_state=states)


def test_stateful_conv_lstm2d_matches_keras_over_two_batches():
    x = make_input((2, 3, 4, 4, 1))
    layer = ConvLSTM2D(2, 3, padding="same", stateful=True)
    layer.build(x.shape)
    keras_layer = keras().layers.ConvLSTM2D(2, 3, padding="same", stateful=True)
    keras_layer.build(x.shape)
    keras_layer.set_weights(layer.get_weights())
    for _ in range(2):
        np.testing.assert_allclose(to_numpy(layer(torch.from_numpy(x))), to_numpy(keras_layer(x)), atol=1e-5)
    assert [tuple(s.shape) for s in layer.states] == [(2, 4, 4, 2), (2, 4, 4, 2)]


def test_conv_lstm2d_in_a_functional_model_trains():
    inputs = layers.Input(shape=(3, 6, 6, 1))
    features = ConvLSTM2D(4, 3, padding="same", return_sequences=True)(inputs)
    assert features.shape == (None, 3, 6, 6, 4)
    last = ConvLSTM2D(2, 3)(features)
    assert last.shape == (None, 4, 4, 2)
    model = fitorch.Model(inputs, layers.Dense(1)(layers.GlobalAveragePooling2D()(last)))
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(0).standard_normal((8, 3, 6, 6, 1)).astype("float32")
    history = model.fit(x, x.mean(axis=(1, 2, 3)), batch_size=4, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_weights_are_torch_conv_layout():
    layer = ConvLSTM2D(5, (3, 2))
    layer(torch.zeros(1, 2, 6, 6, 4))
    assert layer.weight_ih.shape == (20, 4, 3, 2) and layer.weight_hh.shape == (20, 5, 3, 2)
    kernel, recurrent, bias = layer.get_weights()
    assert kernel.shape == (3, 2, 4, 20) and recurrent.shape == (3, 2, 5, 20)
    assert bias[5:10].tolist() == [1.0] * 5


def test_conv_lstm2d_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"ConvLSTM2D 'c': strides > 1 cannot be combined with dilation_rate > 1"):
        ConvLSTM2D(2, 3, strides=2, dilation_rate=2, name="c")
    with pytest.raises(ValueError, match=r"padding must be one of \('valid', 'same'\); received padding='causal'"):
        ConvLSTM2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="filters must be a positive int; received filters=0"):
        ConvLSTM2D(0, 3)
    with pytest.raises(ValueError, match=r"'c2': the frame size and channels of the input must be known"):
        ConvLSTM2D(2, 3, name="c2")(layers.Input(shape=(4, None, None, 3)))
    with pytest.raises(ValueError, match=r"'c3': the frames are too small for kernel_size=\(5, 5\)"):
        ConvLSTM2D(2, 5, name="c3")(torch.zeros(1, 2, 3, 3, 1))
    with pytest.raises(ValueError, match=r"layer 'c4' \(ConvLSTM2D\) is incompatible: expected ndim=5"):
        ConvLSTM2D(2, 3, name="c4")(layers.Input(shape=(4, 5, 5)))
