"""``model.double()`` / ``.half()`` / ``.float()`` / ``.to(dtype)`` also move the floating dtype of fitorch layers.

Layers read from a Keras file carry ``dtype="float32"`` (Rescaling and Normalization cast their
inputs to it), so without this a float64 model computes in float32 or fails on mixed dtypes.
"""

from __future__ import annotations

import os

import keras
import numpy as np
import torch

import fitorch
from fitorch import layers
from tests.saving.test_keras_applications import build_keras_application


def _keras_preprocessing_model() -> keras.Model:
    inputs = keras.Input((4,))
    hidden = keras.layers.Normalization(mean=[1e4, -2e3, 5e3, 7e2], variance=[9.0, 2.0, 30.0, 0.5])(inputs)
    hidden = keras.layers.Rescaling(1 / 3, offset=0.1)(hidden)
    return keras.Model(inputs, keras.layers.Dense(3)(hidden))


def test_float_casts_move_a_layer_dtype():
    layer = layers.Rescaling(0.5, dtype="float32")
    assert layer.double()._dtype == torch.float64
    assert layer.half()._dtype == torch.float16
    assert layer.float()._dtype == torch.float32
    assert layer.to(torch.float64)._dtype == torch.float64
    assert layer.to("cpu")._dtype == torch.float64  # a device move keeps it
    assert layer(torch.ones(2, 3, dtype=torch.float64)).dtype == torch.float64


def test_pinned_layer_follows_float_casts():
    with fitorch.device("cpu"):
        layer = layers.Normalization(mean=1.0, variance=4.0, dtype="float32")
    assert layer.double()._dtype == torch.float64


def test_non_floating_dtype_is_kept():
    hashing = layers.Hashing(num_bins=4, dtype="int64")
    model = fitorch.Sequential([layers.Input((1,), dtype="int64"), hashing]).double()
    assert hashing._dtype == torch.int64
    assert model(torch.tensor([[3], [5]])).dtype == torch.int64


def test_imported_model_double_matches_a_float64_reference(tmp_path):
    keras_model = _keras_preprocessing_model()
    path = os.path.join(tmp_path, "preprocessing.keras")
    keras_model.save(path)
    rng = np.random.default_rng(0)
    x = np.array([1e4, -2e3, 5e3, 7e2]) + rng.normal(0.0, 3.0, (16, 4))
    # NumPy float64 from Keras' own weights and constants (float32 values, exact in float64).
    normalization, rescaling, dense = keras_model.layers[1:]
    mean, variance = (
        keras.ops.convert_to_numpy(w).astype("float64") for w in (normalization.mean, normalization.variance)
    )
    kernel, bias = (keras.ops.convert_to_numpy(w).astype("float64") for w in dense.weights)
    hidden = (x - mean.reshape(1, -1)) / np.sqrt(variance.reshape(1, -1))
    expected = (hidden * rescaling.scale + rescaling.offset) @ kernel + bias

    model32 = fitorch.load_model(path, compile=False)
    error32 = np.abs(model32.predict(x.astype("float32"), verbose=0) - expected).max()
    model64 = fitorch.load_model(path, compile=False).double()
    ours = model64.predict(x, verbose=0)
    assert ours.dtype == np.float64
    error64 = np.abs(ours - expected).max()
    assert error64 < 1e-12 * np.abs(expected).max(), error64
    assert error64 < error32 / 1000, (error64, error32)


def test_imported_application_double_predicts_float64(tmp_path):
    keras_model, x = build_keras_application("MobileNetV3Small")
    expected = np.asarray(keras_model.predict(x, verbose=0))
    path = os.path.join(tmp_path, "mobilenet.keras")
    keras_model.save(path)
    model = fitorch.load_model(path, compile=False).double()
    ours = model.predict(x.astype("float64"), verbose=0)
    assert ours.dtype == np.float64
    # Keras computes in float32: a float64 result may differ by float32 rounding only.
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-5)


def test_user_model_double_fits_in_float64():
    model = fitorch.Sequential(
        [
            layers.Input((4,)),
            layers.Normalization(mean=0.5, variance=0.25, dtype="float32"),  # exact in float32
            layers.Dense(8, activation="relu"),
            layers.Dense(1),
        ]
    ).double()
    model.compile(optimizer="sgd", loss="mse")
    rng = np.random.default_rng(0)
    x, y = rng.random((32, 4)), rng.random((32, 1))
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert all(w.dtype == torch.float64 for w in model.weights)
    prediction = model.predict(x, verbose=0)
    assert prediction.dtype == np.float64
    # A float64 NumPy forward pass with the trained weights.
    kernel1, bias1, kernel2, bias2 = model.layers[-2].get_weights() + model.layers[-1].get_weights()
    reference = np.maximum(((x - 0.5) / 0.5) @ kernel1 + bias1, 0.0) @ kernel2 + bias2
    np.testing.assert_allclose(prediction, reference, rtol=1e-12, atol=1e-12)
