"""Compares fitorch.ops results with Keras' keras.ops (torch backend), the oracle."""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import torch

TOLERANCES = {torch.float16: 1e-3, torch.bfloat16: 1e-2, torch.float32: 1e-6, torch.float64: 1e-12}


def keras_op(name: str) -> Any:
    """``keras.ops.<name>`` (``image.resize`` -> ``keras.ops.image.resize``); names come from the test table."""
    namespace = keras.ops
    for part in name.split("."):
        namespace = getattr(namespace, part)
    return namespace


def assert_same(actual: Any, expected: Any, where: str = "output") -> None:
    """Equal structure, dtypes and shapes; floats within 1e-6 relative (float32), ints and bools exact."""
    if isinstance(expected, (list, tuple)):
        assert isinstance(actual, (list, tuple)), f"{where}: expected a sequence, got {type(actual).__name__}"
        assert len(actual) == len(expected), f"{where}: expected {len(expected)} items, got {len(actual)}"
        for n, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{where}[{n}]")
        return
    if isinstance(expected, np.ndarray):
        expected = torch.as_tensor(expected)
        actual = torch.as_tensor(actual)
    if isinstance(expected, torch.Tensor):
        assert isinstance(actual, torch.Tensor), f"{where}: expected a tensor, got {type(actual).__name__}"
        expected = expected.detach().cpu()
        actual = actual.detach().cpu()
        assert actual.dtype == expected.dtype, f"{where}: dtype {actual.dtype} != Keras' {expected.dtype}"
        assert actual.shape == expected.shape, f"{where}: shape {tuple(actual.shape)} != Keras' {tuple(expected.shape)}"
        if expected.is_floating_point() or expected.is_complex():
            tolerance = TOLERANCES.get(expected.real.dtype if expected.is_complex() else expected.dtype, 1e-6)
            torch.testing.assert_close(
                actual, expected, rtol=tolerance, atol=tolerance, equal_nan=True, msg=lambda m: f"{where}: {m}"
            )
        else:
            assert torch.equal(actual, expected), f"{where}: {actual} != Keras' {expected}"
        return
    assert actual == expected, f"{where}: {actual!r} != Keras' {expected!r}"


def clone_args(value: Any) -> Any:
    """Fresh copies, so that an op which mutates its inputs cannot hide it."""
    if isinstance(value, torch.Tensor):
        return value.clone()
    if isinstance(value, list):
        return [clone_args(v) for v in value]
    if isinstance(value, tuple):
        return tuple(clone_args(v) for v in value)
    if isinstance(value, dict):
        return {k: clone_args(v) for k, v in value.items()}
    return value
