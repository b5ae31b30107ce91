"""``LearningRateScheduler``: set the learning rate at the start of each epoch from a function."""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable
from typing import Any

import torch

from fitorch.callbacks.callback import Callback, Logs


def get_learning_rate(optimizer: Any) -> float:
    """The optimizer's current learning rate as a float (its first param group's)."""
    if optimizer is None:
        raise ValueError("The model has no optimizer: compile it before fitting with this callback.")
    value = optimizer.learning_rate if hasattr(optimizer, "learning_rate") else optimizer.param_groups[0]["lr"]
    return float(value.item() if isinstance(value, torch.Tensor) else value)


def set_learning_rate(optimizer: Any, value: float) -> None:
    """Sets the learning rate of every param group (fitorch optimizers: ``optimizer.learning_rate = value``)."""
    if hasattr(optimizer, "learning_rate"):
        optimizer.learning_rate = value  # a scheduled fitorch optimizer raises Keras' TypeError here
        return
    for group in optimizer.param_groups:
        if isinstance(group["lr"], torch.Tensor):
            group["lr"].fill_(value)
        else:
            group["lr"] = value


def log_learning_rate(model: Any, logs: Logs) -> None:
    """Adds ``learning_rate`` to epoch logs (a dict), as Keras' LR callbacks do."""
    if isinstance(logs, dict) and getattr(model, "optimizer", None) is not None:
        logs["learning_rate"] = get_learning_rate(model.optimizer)


class LearningRateScheduler(Callback):
    """Sets the learning rate at the beginning of each epoch to ``schedule(epoch, lr)``.

    Use it for per-epoch schedules written as a function. For per-step schedules,
    pass a :mod:`fitorch.optimizers.schedules` object as the optimizer's
    ``learning_rate`` instead. The epoch's rate is added to the logs as
    ``learning_rate``.

    Args:
        schedule: ``schedule(epoch, lr) -> new_lr`` (0-based ``epoch``, current rate as
            a float); the one-argument form ``schedule(epoch)`` works too.
        verbose: 1 prints the new rate each epoch. Defaults to 0.

    Example:
        >>> import numpy as np, fitorch
        >>> model = fitorch.Sequential([fitorch.layers.Dense(1)])
        >>> model.compile(fitorch.optimizers.SGD(learning_rate=0.1), "mse")
        >>> halve = LearningRateScheduler(lambda epoch, lr: lr if epoch == 0 else lr / 2)
        >>> history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=3, verbose=0, callbacks=[halve])
        >>> [round(lr, 6) for lr in history.history["learning_rate"]]
        [0.1, 0.05, 0.025]
    """

    def __init__(self, schedule: Callable[..., float], verbose: int = 0) -> None:
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"LearningRateScheduler: `schedule` must be callable; received {schedule!r}.")
        self.schedule = schedule
        self.verbose = verbose

    def _call_schedule(self, epoch: int, lr: float) -> Any:
        try:
            inspect.signature(self.schedule).bind(epoch, lr)
        except TypeError:  # the old one-argument API
            return self.schedule(epoch)
        except ValueError:  # no signature (a builtin): try the new API
            pass
        return self.schedule(epoch, lr)

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        optimizer = self.model.optimizer
        learning_rate = self._call_schedule(epoch, get_learning_rate(optimizer))
        if isinstance(learning_rate, torch.Tensor) and learning_rate.dim() == 0:
            learning_rate = learning_rate.item()
        if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {learning_rate!r}")
        set_learning_rate(optimizer, float(learning_rate))
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {float(learning_rate)}.")

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        log_learning_rate(self.model, logs)
