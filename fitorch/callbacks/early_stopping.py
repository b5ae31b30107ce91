"""``EarlyStopping``: stop training when a monitored value stops improving."""

from __future__ import annotations

import warnings
from typing import Any

import torch

from fitorch.callbacks.callback import Logs
from fitorch.callbacks.monitor_callback import MonitorCallback, as_number, from_json_number, json_number


class EarlyStopping(MonitorCallback):
    """Stops training when ``monitor`` has not improved for ``patience`` epochs.

    Each epoch that does not improve on the best value by more than ``min_delta``
    increases a wait counter; when it reaches ``patience``, ``model.stop_training`` is
    set and ``fit`` ends after the epoch. With ``restore_best_weights=True`` the
    weights of the best epoch are copied back at the end of training (a device copy
    of ``model.state_dict()`` is kept, buffers included).

    Args:
        monitor: the log to watch. Defaults to ``'val_loss'``.
        min_delta: the smallest change that counts as an improvement. Defaults to 0.
        patience: epochs without improvement before stopping. Defaults to 0.
        verbose: 1 prints a message when stopping and restoring. Defaults to 0.
        mode: ``'auto'``, ``'min'`` or ``'max'``. Defaults to ``'auto'``.
        baseline: a value to reach: until ``monitor`` beats it, the wait counter keeps
            running even when the value improves. Defaults to ``None``.
        restore_best_weights: whether to restore the best epoch's weights at the end
            (if no epoch improved on ``baseline``, the weights of the first monitored
            epoch). Defaults to ``False``.
        start_from_epoch: epochs to wait before monitoring (a warm-up). Defaults to 0.

    Example:
        >>> import numpy as np, fitorch
        >>> model = fitorch.Sequential([fitorch.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> stop = EarlyStopping(monitor="loss", patience=0, min_delta=1e9)
        >>> history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=10, verbose=0, callbacks=[stop])
        >>> len(history.epoch), stop.stopped_epoch
        (2, 1)
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best_epoch = 0
        self.best_weights: dict[str, torch.Tensor] | None = None

    def on_train_begin(self, logs: Logs = None) -> None:
        if self._take_restored():
            return
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # The first monitored epoch's weights, in case no epoch beats the baseline.
            self.best_weights = self._copy_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self._copy_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: Logs = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.load_state_dict(self.best_weights)

    def get_monitor_value(self, logs: Logs) -> float | None:
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(list(logs.keys()))}",
                stacklevel=2,
            )
        return as_number(value)

    def _copy_weights(self) -> dict[str, torch.Tensor]:
        return {name: tensor.detach().clone() for name, tensor in self.model.state_dict().items()}

    # ------------------------------------------------------------------ resume
    def get_state(self) -> dict[str, Any]:
        """``wait``, ``best``, ``best_epoch`` and ``stopped_epoch`` (best weights: :meth:`get_state_tensors`)."""
        return {
            "wait": self.wait,
            "best": json_number(self.best),
            "best_epoch": self.best_epoch,
            "stopped_epoch": self.stopped_epoch,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self.wait = int(state["wait"])
        self.best = from_json_number(state["best"])
        self.best_epoch = int(state["best_epoch"])
        self.stopped_epoch = int(state["stopped_epoch"])
        self._restored = True

    def get_state_tensors(self) -> dict[str, torch.Tensor]:
        """The best weights kept for ``restore_best_weights`` (empty when none)."""
        return dict(self.best_weights or {})

    def set_state_tensors(self, tensors: dict[str, torch.Tensor]) -> None:
        self.best_weights = {name: tensor.detach().clone() for name, tensor in tensors.items()} or None
