"""Checks shared by the random image-augmentation layer tests (RandomFlip, RandomRotation ...).

Keras' random draws cannot be matched bit for bit, so each layer is checked for: inference is the
identity; a forced transform (a degenerate factor range, or a given transformation) equals Keras'
result for that exact transform; seeds repeat; the layer is active inside ``fit`` and not in
``predict``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import fitorch
from fitorch import layers
from tests.layers.harness import keras, to_numpy


def images(shape: tuple[int, ...], seed: int = 0, dtype: str = "float32") -> np.ndarray:
    """Smooth-ish random images in [0, 1) (values away from rounding ties)."""
    return np.random.default_rng(seed).random(shape).astype(dtype)


def assert_matches_keras(ours: torch.Tensor, theirs: Any, atol: float = 1e-5) -> None:
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), atol=atol, rtol=atol)


def check_inference_identity(make_layer: Callable[[], torch.nn.Module], shape: tuple[int, ...]) -> None:
    """Outside training the layer returns its input (both by ``eval()`` and by ``training=False``)."""
    x = torch.from_numpy(images(shape))
    layer = make_layer()
    torch.testing.assert_close(layer(x, training=False), x, rtol=0, atol=0)
    layer.eval()
    torch.testing.assert_close(layer(x), x, rtol=0, atol=0)
    single = x[0]
    torch.testing.assert_close(layer(single), single, rtol=0, atol=0)


def check_seed_and_config(make_layer: Callable[..., torch.nn.Module], shape: tuple[int, ...]) -> None:
    """Equal seeds give equal draws, different seeds different ones; the config survives JSON."""
    x = torch.from_numpy(images(shape))
    first, second, other = make_layer(seed=7), make_layer(seed=7), make_layer(seed=8)
    a, b, c = first(x, training=True), second(x, training=True), other(x, training=True)
    torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert not torch.equal(a, c)
    assert not torch.equal(first(x, training=True), a)  # the generator moves on between calls
    config = first.get_config()
    rebuilt = type(first).from_config(json.loads(json.dumps(config)))
    assert rebuilt.get_config() == config
    torch.testing.assert_close(rebuilt(x, training=True), a, rtol=0, atol=0)


def check_symbolic(make_layer: Callable[[], torch.nn.Module], shape: tuple[int, ...]) -> None:
    """Symbolic and eager shapes agree; uint8 images give float32 like Keras."""
    x = torch.from_numpy((images(shape) * 255).astype("uint8"))
    layer = make_layer()
    eager = layer(x, training=True)
    assert eager.dtype == torch.float32
    symbolic = make_layer()(layers.Input(shape=shape[1:], dtype="uint8"))
    assert tuple(symbolic.shape[1:]) == tuple(eager.shape[1:]) and symbolic.dtype == torch.float32


class Probe(layers.Layer):
    """Records the tensors it sees, so a test can look inside ``fit``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seen: list[torch.Tensor] = []

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if not inputs.is_meta:
            self.seen.append(inputs.detach().cpu().clone())
        return inputs


def check_active_in_fit(layer: torch.nn.Module, x: np.ndarray, expected_in_fit: np.ndarray, atol: float = 1e-5) -> None:
    """In a functional model, ``fit`` sees the transformed images and ``predict`` the untouched ones."""
    probe = Probe()
    inputs = layers.Input(shape=x.shape[1:])
    outputs = layers.Dense(1)(layers.Flatten()(probe(layer(inputs))))
    model = fitorch.Model(inputs, outputs)
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((len(x), 1), "float32"), batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(probe.seen[-1].numpy(), expected_in_fit, atol=atol, rtol=atol)
    model.predict(x, batch_size=len(x), verbose=0)
    np.testing.assert_allclose(probe.seen[-1].numpy(), x, atol=0, rtol=0)


def keras_training_output(make_keras_layer: Callable[[], Any], x: np.ndarray) -> np.ndarray:
    return to_numpy(make_keras_layer()(x, training=True))


__all__ = ["keras"]
