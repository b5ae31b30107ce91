"""Keras 3 side of the export tests; run in a fresh process: ``python keras_export_oracle.py <folder>``.

For every model listed in ``<folder>/manifest.json`` it loads the files fitorch wrote
with Keras itself (``keras.saving.load_model`` for ``.keras`` and ``.h5``,
``load_weights`` into the same architecture built here in Keras for ``.weights.h5``),
predicts on the saved inputs, and writes the predictions to ``<name>.<kind>.npz``.
It also re-saves each loaded model with Keras (``<name>.resaved.weights.h5`` and
``<name>.resaved.h5``), so the tests can compare fitorch's file layout with Keras'.
The layer zoos have no builder here: their architecture comes from Keras' own config.
Errors are recorded per file in ``results.json`` rather than stopping the run.
"""

from __future__ import annotations

import json
import os
import sys
import traceback

os.environ["KERAS_BACKEND"] = "torch"
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402


def mlp() -> keras.Model:
    inputs = keras.Input((8,))
    hidden = layers.Dense(16, activation="relu")(inputs)
    return keras.Model(inputs, layers.Dense(4, activation="softmax")(hidden))


def cnn() -> keras.Model:
    inputs = keras.Input((12, 12, 3))
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Dropout(0.3)(x)
    x = layers.SeparableConv2D(6, 3, padding="same")(x)
    x = layers.DepthwiseConv2D(2, depth_multiplier=2)(x)
    x = layers.AveragePooling2D(2)(x)
    x = layers.Flatten()(x)
    return keras.Model(inputs, layers.Dense(3)(x))


def lstm_text() -> keras.Model:
    inputs = keras.Input((10,), dtype="int32")
    x = layers.Embedding(30, 8, mask_zero=True)(inputs)
    x = layers.LSTM(6)(x)
    return keras.Model(inputs, layers.Dense(2, activation="sigmoid")(x))


def gru_attention() -> keras.Model:
    inputs = keras.Input((6, 8))
    x = layers.GRU(8, return_sequences=True)(inputs)
    attended = layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    x = layers.LayerNormalization()(layers.Add()([x, attended]))
    x = layers.Bidirectional(layers.LSTM(4, return_sequences=True))(x)
    x = layers.TimeDistributed(layers.Dense(3))(x)
    x = layers.GlobalMaxPooling1D()(x)
    return keras.Model(inputs, layers.Dense(2)(x))


def two_in_two_out() -> keras.Model:
    a = keras.Input((5,), name="a")
    b = keras.Input((3,), name="b")
    merged = layers.Concatenate()([layers.Dense(4, activation="tanh")(a), layers.Dense(4, activation="tanh")(b)])
    hidden = layers.Dense(6, activation="relu")(merged)
    score = layers.Dense(1)(hidden)
    label = layers.Dense(3, activation="softmax")(hidden)
    return keras.Model({"a": a, "b": b}, [score, label])


def shared() -> keras.Model:
    a = keras.Input((4,))
    b = keras.Input((4,))
    dense = layers.Dense(4, activation="tanh")
    twice = dense(dense(a))
    return keras.Model([a, b], layers.Dense(1)(layers.Add()([twice, dense(b)])))


def nested() -> keras.Model:
    inner_inputs = keras.Input((4,))
    x = layers.Dense(5)(inner_inputs)
    inner = keras.Model(inner_inputs, layers.Dense(3)(layers.BatchNormalization()(x)))
    inputs = keras.Input((4,))
    return keras.Model(inputs, layers.Dense(2)(inner(inputs)))


def nested_sequential() -> keras.Model:
    block = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.BatchNormalization(), layers.Dense(4)])
    inputs = keras.Input((4,))
    return keras.Model(inputs, layers.Dense(2)(block(block(inputs))))


def sequential_input() -> keras.Model:
    return keras.Sequential(
        [keras.Input((6,)), layers.Dense(8, activation="relu"), layers.Dropout(0.2), layers.Dense(2)]
    )


def sequential_lazy() -> keras.Model:
    model = keras.Sequential([layers.Dense(8, activation="relu"), layers.Dense(2)])
    model.build((None, 6))
    return model


BUILDERS = {f.__name__: f for f in (mlp, cnn, lstm_text, gru_attention, two_in_two_out, shared, nested,
                                    nested_sequential, sequential_input, sequential_lazy)}  # fmt: skip


def _inputs(folder: str, name: str, kind: str) -> object:
    data = np.load(os.path.join(folder, f"{name}.inputs.npz"))
    if kind == "dict":
        return {k: data[k] for k in data.files}
    arrays = [data[f"x{i}"] for i in range(len(data.files))]
    return arrays if kind == "list" else arrays[0]


def _save_outputs(path: str, outputs: object) -> None:
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    np.savez(path, *[np.asarray(o) for o in outputs])


def main(folder: str) -> None:
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    results: dict[str, object] = {}
    for name, kind in manifest.items():
        x = _inputs(folder, name, kind)
        base = os.path.join(folder, name)
        for label in ("keras", "h5", "weights"):
            try:
                model = _load(name, base, label)
                _save_outputs(f"{base}.{label}.npz", model.predict(x, verbose=0))
                if label == "keras":
                    model.save_weights(f"{base}.resaved.weights.h5")
                    results[f"{name}.keras.compiled"] = bool(model.compiled)
                    if model.compiled:
                        results[f"{name}.keras.loss"] = repr(model.loss)
                if label == "h5":
                    model.save(f"{base}.resaved.h5")
                results[f"{name}.{label}"] = "ok"
            except Exception:  # recorded for the test to show
                results[f"{name}.{label}"] = traceback.format_exc()
    with open(os.path.join(folder, "results.json"), "w") as f:
        json.dump(results, f)


def _load(name: str, base: str, label: str) -> keras.Model:
    if label == "keras":
        return keras.saving.load_model(base + ".keras")
    if label == "h5":
        return keras.saving.load_model(base + ".h5")
    return _with_weights(name, base + ".weights.h5")


def _with_weights(name: str, path: str) -> keras.Model:
    if name in BUILDERS:
        model = BUILDERS[name]()
    else:  # a layer zoo: the architecture from Keras' own config of the loaded model
        model = keras.Model.from_config(keras.saving.load_model(path.replace(".weights.h5", ".keras")).get_config())
    model.load_weights(path)
    return model


if __name__ == "__main__":
    main(sys.argv[1])
