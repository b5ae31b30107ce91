"""Keras files through fitorch.load_model and load_weights: .keras, legacy .h5, .weights.h5."""

import io
import json
import os
import time

import h5py
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
    return keras.Model(
        [a, b],
        [
            keras.layers.Dense(1, name="score")(merged),
            keras.layers.Dense(3, activation="softmax", name="klass")(merged),
        ],
    )


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
        (
            keras_two_in_two_out,
            lambda: [np.random.rand(5, 4).astype("float32"), np.random.rand(5, 3).astype("float32")],
        ),
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
    for a, b in zip(
        ours if isinstance(ours, list) else [ours], theirs if isinstance(theirs, list) else [theirs], strict=True
    ):
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
    with pytest.raises(ValueError, match="do not fit the model"):
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


# ---------------------------------------------------------------------- layer order and size
def _keras_tensor(name, width):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": [None, width], "dtype": "float32", "keras_history": [name, 0, 0]}}  # fmt: skip


def write_keras_chain(path, count, dense_every, width=4, seed=0):
    """A ``.keras`` file of ``count`` layers in a chain, listed in reverse order, and NumPy's forward pass for it.

    Every ``dense_every``-th layer is a ``Dense(width)`` (all of the same shape, so swapped
    weights would go unnoticed by shape checks); the rest are ReLU activations. The weights
    are filed as Keras 3 files them: ``dense``, ``dense_1`` ... in the order of the config.
    """
    layers_config = [{"module": "keras.layers", "class_name": "InputLayer", "name": "x", "inbound_nodes": [],
                      "config": {"batch_shape": [None, width], "dtype": "float32", "name": "x"}}]  # fmt: skip
    previous = "x"
    for index in range(count):
        name = f"layer_{index}"
        if index % dense_every == 0:
            entry = {"class_name": "Dense", "config": {"name": name, "units": width}}
        else:
            entry = {"class_name": "Activation", "config": {"name": name, "activation": "relu"}}
        entry.update(module="keras.layers", name=name, inbound_nodes=[{"args": [_keras_tensor(previous, width)],
                                                                        "kwargs": {}}])  # fmt: skip
        layers_config.append(entry)
        previous = name
    layers_config.reverse()
    config = {"module": "keras", "class_name": "Functional", "config": {
        "name": "chain", "layers": layers_config, "input_layers": [["x", 0, 0]],
        "output_layers": [[previous, 0, 0]]}}  # fmt: skip
    rng = np.random.default_rng(seed)
    weights = {}
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        dense = [entry["name"] for entry in layers_config if entry["class_name"] == "Dense"]
        for number, name in enumerate(dense):
            kernel, bias = rng.normal(size=(width, width)).astype("float32"), rng.normal(size=width).astype("float32")
            group = handle.create_group(f"layers/dense{'' if number == 0 else f'_{number}'}/vars")
            group["0"], group["1"] = kernel, bias
            weights[name] = (kernel, bias)
    write_members(path, {"config.json": json.dumps(config).encode(), "model.weights.h5": buffer.getvalue(),
                         "metadata.json": b'{"keras_version": "3.15.1"}'})  # fmt: skip

    def forward(x):
        for index in range(count):
            name = f"layer_{index}"
            x = x @ weights[name][0] + weights[name][1] if name in weights else np.maximum(x, 0.0)
        return x

    return forward


def test_weights_follow_the_files_own_layer_order(tmp_path):
    """Same-shaped Dense layers listed in reverse graph order: each gets its own weights, none swapped."""
    forward = write_keras_chain(tmp_path / "chain.keras", count=9, dense_every=3)
    model = load_model(tmp_path / "chain.keras")
    x = np.random.default_rng(1).normal(size=(5, 4)).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), forward(x), rtol=1e-5, atol=1e-5)


def test_a_20000_layer_file_listed_in_reverse_loads_in_linear_time(tmp_path):
    """Import orders calls with a linear topological sort; the old repeated scans took > 90 s here."""
    forward = write_keras_chain(tmp_path / "big.keras", count=20_000, dense_every=1000)
    start = time.perf_counter()
    model = load_model(tmp_path / "big.keras")
    elapsed = time.perf_counter() - start
    assert elapsed < 30, f"loading 20,000 layers took {elapsed:.1f} s"
    x = np.random.default_rng(2).normal(size=(3, 4)).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), forward(x), rtol=1e-4, atol=1e-4)


# ---------------------------------------------------------------------- what keras.applications needs
def test_hard_silu_and_dotted_model_names_import(tmp_path):
    inputs = keras.Input((5,))
    hidden = keras.layers.Dense(4, activation="hard_silu")(inputs)
    hidden = keras.layers.Activation("hard_swish")(hidden)
    source = keras.Model(inputs, keras.layers.Dense(2)(hidden), name="net_1.00_224")
    source.save(str(tmp_path / "model.keras"))
    model = load_model(tmp_path / "model.keras")
    assert model.name == "net_1_00_224"  # torch module names cannot hold '.'
    x = np.random.rand(4, 5).astype("float32") * 8 - 4
    np.testing.assert_allclose(model.predict(x, verbose=0), source.predict(x, verbose=0), atol=1e-6)


@pytest.mark.parametrize("bad", ["a/b", "..", "a\\b", "a:b"])
def test_model_names_with_path_separators_are_still_refused(tmp_path, bad):
    source = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)], name="good")
    source.save(str(tmp_path / "m.keras"))
    members = read_members(tmp_path / "m.keras")
    members["config.json"] = members["config.json"].replace(b'"name": "good"', json.dumps({"name": bad})[1:-1].encode())
    write_members(tmp_path / "bad.keras", members)
    with pytest.raises(UnsafeModelError, match="CVE-2026-12479"):
        load_model(tmp_path / "bad.keras")


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_keras_ops_arithmetic_with_scalars_imports(tmp_path, suffix):
    """``x * 0.5``-style keras.ops nodes (module keras.src.ops.numpy), as MobileNetV3 and ConvNeXt save them."""
    inputs = keras.Input((3,))
    x = keras.layers.Dense(4)(inputs)
    x = keras.ops.add(x, 3.0)
    x = keras.ops.multiply(x, 1.0 / 6.0)
    x = keras.ops.subtract(x, 0.25)
    x = keras.ops.divide(x, 2.0)
    x = keras.ops.add(x, keras.layers.Dense(4)(inputs))  # two tensors
    source = keras.Model(inputs, x)
    path = str(tmp_path / f"ops{suffix}")
    source.save(path)
    model = load_model(path)
    assert sum(type(layer).__name__ == "OpLayer" for layer in model.layers) == 5
    data = np.random.rand(4, 3).astype("float32")
    np.testing.assert_allclose(model.predict(data, verbose=0), source.predict(data, verbose=0), atol=1e-6)
    model.save(tmp_path / "again.fitorch")  # the imported graph saves and loads as a fitorch file
    again = load_model(tmp_path / "again.fitorch")
    np.testing.assert_allclose(again.predict(data, verbose=0), source.predict(data, verbose=0), atol=1e-6)


def test_keras_ops_fitorch_lacks_are_named(tmp_path):
    inputs = keras.Input((3,))
    source = keras.Model(inputs, keras.ops.multiply(keras.layers.Dense(2)(inputs), 2.0))
    source.save(str(tmp_path / "m.keras"))
    members = read_members(tmp_path / "m.keras")
    members["config.json"] = members["config.json"].replace(b'"class_name": "Multiply"', b'"class_name": "Frobnicate"')
    write_members(tmp_path / "bad.keras", members)
    with pytest.raises(UnsafeModelError, match=r"keras.ops.frobnicate, which fitorch.ops does not provide"):
        load_model(tmp_path / "bad.keras")
