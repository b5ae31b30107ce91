"""Keras files through fitorch.load_model and load_weights: .keras, legacy .h5, .weights.h5."""

import os

import keras
import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.saving import UnsafeModelError, load_model
from tests.saving.helpers import read_members, write_members


def keras_functional():
    inputs = keras.Input((4,), name="x")
    hidden = keras.layers.Dense(3, activation="relu", name="d1")(inputs)
    hidden = keras.layers.BatchNormalization()(hidden)
    inner_in = keras.Input((3,))
    inner = keras.Model(inner_in, keras.layers.Dense(2, name="code")(inner_in), name="encoder")
    merged = keras.layers.Concatenate()([inner(hidden), hidden])
    model = keras.Model(inputs, keras.layers.Dense(1)(merged))
    model.compile(keras.optimizers.Adam(learning_rate=0.01), "mse", metrics=["mae"])
    model.fit(np.random.rand(16, 4), np.random.rand(16, 1), epochs=1, verbose=0)  # moves the BN statistics
    return model


def keras_cnn():
    return keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, activation="relu"),
                             keras.layers.MaxPooling2D(), keras.layers.Flatten(), keras.layers.Dropout(0.1),
                             keras.layers.Dense(2, activation="softmax")])  # fmt: skip


def keras_cnn_bn_dropout():
    return keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, padding="same"),
                             keras.layers.BatchNormalization(), keras.layers.Activation("relu"),
                             keras.layers.MaxPooling2D(), keras.layers.Dropout(0.25), keras.layers.Flatten(),
                             keras.layers.Dense(3, activation="softmax")])  # fmt: skip


def keras_lstm_text_classifier():
    inputs = keras.Input((7,), dtype="int64")
    x = keras.layers.Embedding(20, 6, mask_zero=True)(inputs)
    x = keras.layers.LSTM(5)(x)
    return keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(x))


def keras_two_in_two_out():
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    merged = keras.layers.Concatenate()([keras.layers.Dense(5, activation="relu")(a), b])
    return keras.Model([a, b], [keras.layers.Dense(1, name="score")(merged),
                                keras.layers.Dense(3, activation="softmax", name="klass")(merged)])


def keras_gru_attention():
    inputs = keras.Input((6, 4))
    x = keras.layers.GRU(8, return_sequences=True)(inputs)
    x = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    return keras.Model(inputs, keras.layers.Dense(2)(keras.layers.GlobalAveragePooling1D()(x)))


def keras_sequential_without_input():
    model = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2)])
    model(np.zeros((1, 5), "float32"))  # built by its first call, as Keras users do
    return model


def _tokens(shape):
    tokens = np.random.randint(1, 20, size=shape)
    tokens[:, -2:] = 0  # padding, masked by Embedding(mask_zero=True)
    return tokens.astype("int64")


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
@pytest.mark.parametrize(
    "make, data",
    [
        (keras_functional, lambda: np.random.rand(5, 4).astype("float32")),
        (keras_cnn, lambda: np.random.rand(3, 8, 8, 3).astype("float32")),
        (keras_cnn_bn_dropout, lambda: np.random.rand(3, 8, 8, 3).astype("float32")),
        (keras_lstm_text_classifier, lambda: _tokens((4, 7))),
        (keras_two_in_two_out, lambda: [np.random.rand(5, 4).astype("float32"), np.random.rand(5, 3).astype("float32")]),
        (keras_gru_attention, lambda: np.random.rand(3, 6, 4).astype("float32")),
        (keras_sequential_without_input, lambda: np.random.rand(3, 5).astype("float32")),
    ],
    ids=["functional", "cnn", "cnn_bn_dropout", "lstm_text", "two_in_two_out", "gru_attention", "sequential_no_input"],
)
def test_keras_models_import_with_their_weights(tmp_path, make, data, suffix):
    source = make()
    path = str(tmp_path / f"model{suffix}")
    source.save(path)
    model = load_model(path)
    assert isinstance(model, fitorch.Functional)
    x = data()
    ours, theirs = model.predict(x, verbose=0), source.predict(x, verbose=0)
    for a, b in zip(ours if isinstance(ours, list) else [ours], theirs if isinstance(theirs, list) else [theirs],
                    strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    if make is keras_functional:
        assert model.compiled and isinstance(model.optimizer, fitorch.optimizers.Adam)
        assert model.optimizer.learning_rate == pytest.approx(0.01)


def test_keras_weights_file_loads_into_the_same_architecture(tmp_path):
    source = keras_functional()
    source.save(str(tmp_path / "model.keras"))
    source.save_weights(str(tmp_path / "model.weights.h5"))
    model = load_model(tmp_path / "model.keras", compile=False)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.zero_()
    model.load_weights(tmp_path / "model.weights.h5")
    x = np.random.rand(5, 4).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), source.predict(x, verbose=0), atol=1e-5)


def test_keras_weights_into_a_fitorch_built_model(tmp_path):
    source = keras.Sequential([keras.Input((6,)), keras.layers.Dense(5, activation="tanh"), keras.layers.Dense(2)])
    source.save_weights(str(tmp_path / "w.weights.h5"))
    model = fitorch.Sequential([layers.Input(shape=(6,)), layers.Dense(5, activation="tanh"), layers.Dense(2)])
    model.load_weights(tmp_path / "w.weights.h5")
    x = np.random.rand(3, 6).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), source.predict(x, verbose=0), atol=1e-5)
    wrong = fitorch.Sequential([layers.Input(shape=(6,)), layers.Dense(4), layers.Dense(2)])
    with pytest.raises(ValueError, match="do not fit layer"):
        wrong.load_weights(tmp_path / "w.weights.h5")


def test_keras_layers_fitorch_lacks_are_named(tmp_path):
    source = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    source.save(str(tmp_path / "m.keras"))
    members = read_members(tmp_path / "m.keras")
    members["config.json"] = members["config.json"].replace(b'"class_name": "Dense"', b'"class_name": "QuantumDense"')
    write_members(tmp_path / "quantum.keras", members)
    with pytest.raises(UnsafeModelError, match="Unknown layer 'QuantumDense'"):
        load_model(tmp_path / "quantum.keras")
    assert sorted(os.listdir(tmp_path)) == ["m.keras", "quantum.keras"]
