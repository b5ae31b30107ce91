"""Each speed switch leaves training results within tolerance of the switch turned off."""

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.training.precision import PrecisionPolicy


def train(jit_compile=False, mixed_precision=None, epochs=3):
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 8)).astype("float32")
    y = (x[:, :4].sum(1) > 0).astype("int64")
    inputs = layers.Input(shape=(8,))
    model = fitorch.Model(inputs, layers.Dense(2)(layers.Dense(16, activation="relu")(inputs)))
    model.compile(optimizer="adam", loss=fitorch.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"], jit_compile=jit_compile, mixed_precision=mixed_precision)
    history = model.fit(x, y, batch_size=32, epochs=epochs, shuffle=False, verbose=0)
    return model, history.history


def test_jit_compile_matches_eager():
    eager_model, eager = train(jit_compile=False)
    compiled_model, compiled = train(jit_compile=True)
    assert compiled_model._compiled_call_impl is not None and eager_model._compiled_call_impl is None
    np.testing.assert_allclose(compiled["loss"], eager["loss"], rtol=1e-4, atol=1e-5)
    for a, b in zip(compiled_model.get_weights(), eager_model.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("mode", ["bf16", "fp16"])
def test_mixed_precision_trains_to_the_same_place(mode):
    _, full = train(mixed_precision=None)
    model, mixed = train(mixed_precision=mode)
    assert model.precision.mode == mode
    assert (model.precision.scaler is not None) == (mode == "fp16")
    # Low-precision forward passes: the same trajectory within a loose tolerance.
    np.testing.assert_allclose(mixed["loss"], full["loss"], rtol=0.05, atol=0.02)
    assert all(w.dtype == np.float32 for w in model.get_weights())  # master weights stay float32


def test_auto_resolves_per_device(monkeypatch):
    assert PrecisionPolicy.resolve("auto", torch.device("cpu")).mode is None
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: (9, 0))
    assert PrecisionPolicy.resolve("auto", torch.device("cuda", 0)).mode == "bf16"
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: (7, 5))
    assert PrecisionPolicy.resolve("auto", torch.device("cuda", 0)).mode is None
    model, _ = train(epochs=1)
    assert model._compiled_call_impl is None  # jit_compile='auto' is off on CPU


def test_bad_switch_values_are_clear_errors():
    model = fitorch.Sequential([layers.Input(shape=(2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="mixed_precision must be one of"):
        model.compile("sgd", "mse", mixed_precision="fp8")
    with pytest.raises(ValueError, match="jit_compile must be 'auto', True or False"):
        model.compile("sgd", "mse", jit_compile="yes")


def test_a_torch_lr_scheduler_in_callbacks_steps_once_per_epoch():
    model = fitorch.Sequential([layers.Input(shape=(2,)), layers.Dense(1)])
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    model.compile(optimizer, "mse")
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    model.fit(np.ones((8, 2), "float32"), np.ones((8, 1), "float32"), batch_size=2, epochs=3, verbose=0,
              callbacks=[scheduler])
    assert optimizer.param_groups[0]["lr"] == 0.125
