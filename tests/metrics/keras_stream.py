"""The metric oracle: feed fitorch and Keras 3 the same stream of batches, compare after each."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import json  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from typing import Any  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

TOLERANCE = 1e-6

_READS = ["item", "cpu", "numpy", "tolist", "__bool__", "__float__", "__int__"]


def assert_stream_matches_keras(
    make_ours: Callable[[], Any],
    make_keras: Callable[[], Any],
    batches: Sequence[tuple[Any, ...]],
    atol: float = TOLERANCE,
) -> Any:
    """Updates both metrics batch by batch (``(y_true, y_pred[, sample_weight])``); results agree after each.

    Also checks that ``update_state`` and ``result`` read nothing back from tensors (no
    host syncs), that ``reset_state`` starts over, and that the state survives a
    ``state_dict`` round trip into a fresh metric. Returns the fitorch metric.
    """
    ours, theirs = make_ours(), make_keras()
    torch_batches = [tuple(None if a is None else torch.as_tensor(a) for a in batch) for batch in batches]
    for batch, torch_batch in zip(batches, torch_batches, strict=True):
        with _no_tensor_reads():
            ours.update_state(*torch_batch)
            result = ours.result()
        theirs.update_state(*batch)
        np.testing.assert_allclose(
            result.detach().cpu().numpy(), keras.ops.convert_to_numpy(theirs.result()), atol=atol, rtol=0
        )
    # The state is ordinary module state: a fresh metric loading it gives the same result.
    fresh = make_ours()
    fresh.load_state_dict(ours.state_dict())
    torch.testing.assert_close(fresh.result(), ours.result())
    ours.reset_state()
    theirs.reset_state()
    ours.update_state(*torch_batches[0])
    theirs.update_state(*batches[0])
    np.testing.assert_allclose(
        ours.result().detach().cpu().numpy(), keras.ops.convert_to_numpy(theirs.result()), atol=atol, rtol=0
    )
    return ours


def assert_config_round_trips(metric: Any, keras_metric: Any | None = None) -> None:
    """``get_config`` is JSON and rebuilds an equal metric; it names the same arguments as Keras'."""
    config = metric.get_config()
    assert json.loads(json.dumps(config)) == config
    assert type(metric).from_config(config).get_config() == config
    if keras_metric is not None:
        keras_config = keras_metric.get_config()
        assert set(config) <= set(keras_config), set(config) - set(keras_config)


class _no_tensor_reads:
    """Fails on any read of a tensor value (``.item()``, ``float()``, ``bool()``...)."""

    def __enter__(self) -> None:
        self._saved = {name: getattr(torch.Tensor, name) for name in _READS}

        def refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
            raise AssertionError("a metric read a tensor value on the host (a device sync)")

        for name in _READS:
            setattr(torch.Tensor, name, refuse)

    def __exit__(self, *exc: Any) -> None:
        for name, original in self._saved.items():
            setattr(torch.Tensor, name, original)


def binary_batches(seed: int = 0, batches: int = 3, size: int = 64, weighted: bool = False,
                   shape: tuple[int, ...] = ()) -> list[tuple[Any, ...]]:  # fmt: skip
    """Random 0/1 labels and [0, 1] scores (some exactly 0 and 1), float32."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(batches):
        y_true = rng.integers(0, 2, size=(size, *shape)).astype("float32")
        y_pred = rng.random((size, *shape)).astype("float32")
        y_pred.reshape(-1)[:3] = [0.0, 1.0, 0.5]
        batch: tuple[Any, ...] = (y_true, y_pred)
        if weighted:
            batch += (rng.random(size).astype("float32"),)
        out.append(batch)
    return out
