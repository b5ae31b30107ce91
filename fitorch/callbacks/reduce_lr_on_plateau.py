"""``ReduceLROnPlateau``: lower the learning rate when a monitored value stops improving."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch

from fitorch.callbacks.callback import Logs
from fitorch.callbacks.learning_rate_scheduler import get_learning_rate, log_learning_rate
from fitorch.callbacks.monitor_callback import MonitorCallback, as_number, from_json_number, json_number


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by ``factor`` after ``patience`` epochs without improvement.

    Models often benefit from a 2-10x lower rate once learning stagnates. After a
    reduction, ``cooldown`` epochs pass before the wait counter runs again. The
    rate never goes below ``min_lr``. Each param group is reduced (torch optimizers
    may have several); the epoch's rate is added to the logs as ``learning_rate``.

    Args:
        monitor: the log to watch. Defaults to ``'val_loss'``.
        factor: the multiplier, < 1. Defaults to 0.1.
        patience: epochs without improvement before reducing. Defaults to 10.
        verbose: 1 prints each reduction. Defaults to 0.
        mode: ``'auto'``, ``'min'`` or ``'max'``. Defaults to ``'auto'``.
        min_delta: the smallest change that counts as an improvement. Defaults to 1e-4.
        cooldown: epochs to wait after a reduction. Defaults to 0.
        min_lr: the lower bound of the rate. Defaults to 0.

    Example:
        >>> import numpy as np, fitorch
        >>> model = fitorch.Sequential([fitorch.layers.Dense(1)])
        >>> model.compile(fitorch.optimizers.SGD(learning_rate=0.1), "mse")
        >>> reduce = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=1e9)
        >>> history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=3, verbose=0, callbacks=[reduce])
        >>> [round(lr, 6) for lr in history.history["learning_rate"]]  # the rate each epoch ran with
        [0.1, 0.1, 0.05]
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
    ) -> None:
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}")
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self) -> None:
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs: Logs = None) -> None:
        if not self._take_restored():
            self._reset()

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def _reduce_lr(self, epoch: int) -> bool:
        optimizer = self.model.optimizer
        old_lr = get_learning_rate(optimizer)
        # Keras compares with the float32 min_lr; the rate itself may be a float64.
        if not old_lr > np.float32(self.min_lr):
            return False
        uniform = len({float(g["lr"]) for g in optimizer.param_groups}) == 1 if optimizer.param_groups else True
        if uniform and hasattr(optimizer, "learning_rate"):
            new_lr = max(old_lr * self.factor, self.min_lr)
            optimizer.learning_rate = new_lr
        else:
            for group in optimizer.param_groups:
                lr = float(group["lr"])
                new_lr = max(lr * self.factor, self.min_lr) if lr > np.float32(self.min_lr) else lr
                if isinstance(group["lr"], torch.Tensor):
                    group["lr"].fill_(new_lr)
                else:
                    group["lr"] = new_lr
            new_lr = get_learning_rate(optimizer)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
        return True

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        log_learning_rate(self.model, logs)
        current = as_number(logs.get(self.monitor))
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(list(logs.keys()))}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce_lr(epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    # ------------------------------------------------------------------ resume
    def get_state(self) -> dict[str, Any]:
        """``wait``, ``cooldown_counter`` and ``best``."""
        return {"wait": self.wait, "cooldown_counter": self.cooldown_counter, "best": json_number(self.best)}

    def set_state(self, state: dict[str, Any]) -> None:
        self.wait = int(state["wait"])
        self.cooldown_counter = int(state["cooldown_counter"])
        self.best = from_json_number(state["best"])
        self._restored = True
