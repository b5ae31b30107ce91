"""Drives a Keras callback and a fitorch callback through the same epochs of made-up logs."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

from typing import Any  # noqa: E402

import torch  # noqa: E402


class FakeOptimizer:
    """Enough of an optimizer for the LR callbacks of both libraries."""

    def __init__(self, learning_rate: float) -> None:
        self.param_groups = [{"lr": learning_rate}]

    @property
    def learning_rate(self) -> float:
        return self.param_groups[0]["lr"]

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.param_groups[0]["lr"] = value


class FakeModel:
    """A model whose 'weights' are the number of the epoch that produced them."""

    def __init__(self, learning_rate: float = 0.1) -> None:
        self.stop_training = False
        self.weights_epoch = -1
        self.optimizer = FakeOptimizer(learning_rate)

    # Keras' side
    def get_weights(self) -> list[Any]:
        return [self.weights_epoch]

    def set_weights(self, weights: list[Any]) -> None:
        self.weights_epoch = weights[0]

    # fitorch's side
    def state_dict(self) -> dict[str, torch.Tensor]:
        return {"w": torch.tensor(self.weights_epoch)}

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        self.weights_epoch = int(state["w"])


def run_epochs(callback: Any, values: list[float], monitor: str = "val_loss") -> dict[str, Any]:
    """Runs train begin, one epoch end per value (stopping like fit does), train end."""
    model = FakeModel()
    callback.set_model(model)
    callback.on_train_begin({})
    epochs, rates = 0, []
    for epoch, value in enumerate(values):
        model.weights_epoch = epoch
        callback.on_epoch_begin(epoch, {})
        rates.append(model.optimizer.learning_rate)
        callback.on_epoch_end(epoch, {monitor: value, "loss": value})
        epochs += 1
        if model.stop_training:
            break
    callback.on_train_end({})
    return {"epochs": epochs, "weights_epoch": model.weights_epoch, "rates": rates}
