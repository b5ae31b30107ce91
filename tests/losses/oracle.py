"""What the loss tests share: a case (fitorch's loss class, Keras' and the data) and the comparison with Keras."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

#: The batch size every case uses (its default sample-weight shapes are per sample).
B = 6


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@dataclass
class Case:
    id: str
    ours: type
    theirs: Any
    data: Callable  # rng -> (y_true, y_pred) as NumPy arrays
    kwargs: dict = field(default_factory=dict)
    # Sample-weight shapes to try besides None; sequence losses have per-timestep values.
    weight_shapes: tuple = ((B,), (B, 1))


def assert_loss_matches_keras(case: Case, reduction: str | None, keras_takes_tensors: bool = False) -> None:
    """The case's loss, without and with each sample-weight shape, equals Keras' to 1e-5.

    ``keras_takes_tensors`` hands Keras the torch tensors instead of the NumPy arrays (for
    losses whose Keras code indexes its inputs as tensors).
    """
    rng = np.random.default_rng(0)
    y_true, y_pred = case.data(rng)
    weights = [None] + [rng.uniform(size=shape).astype("f") for shape in case.weight_shapes]
    keras_inputs = (torch.as_tensor(y_true), torch.as_tensor(y_pred)) if keras_takes_tensors else (y_true, y_pred)
    for sample_weight in weights:
        ours = case.ours(reduction=reduction, **case.kwargs)(
            torch.as_tensor(y_true),
            torch.as_tensor(y_pred),
            sample_weight=None if sample_weight is None else torch.as_tensor(sample_weight),
        )
        theirs = case.theirs(reduction=reduction, **case.kwargs)(*keras_inputs, sample_weight=sample_weight)
        assert isinstance(ours, torch.Tensor)
        np.testing.assert_allclose(ours.detach().numpy(), keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-5)
