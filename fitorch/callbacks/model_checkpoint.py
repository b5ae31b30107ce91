"""``ModelCheckpoint``: save the model (or its weights) during training."""

from __future__ import annotations

import os
import warnings
from typing import Any

from fitorch.callbacks.callback import Logs
from fitorch.callbacks.monitor_callback import MonitorCallback, as_number, from_json_number, json_number
from fitorch.training.logs import read_logs


class ModelCheckpoint(MonitorCallback):
    """Saves the model with ``model.save`` (or ``model.save_weights``) every epoch or N batches.

    ``filepath`` may be a template filled from the epoch (1-based), the batch
    (1-based, when saving every N batches) and the logs:
    ``'ckpt-{epoch:02d}-{val_loss:.2f}.fitorch'``. With ``save_best_only=True`` a file
    is written only when ``monitor`` improves; with a fixed name the best model is
    kept. Writes are atomic (fitorch's savers write a temp file, then rename).

    With ``save_freq=N`` the callback counts batches on the host and reads the logs
    (one device read) only when it saves.

    Args:
        filepath: the file to write, or a template of it. Use a ``.fitorch`` name
            for whole models and a ``.safetensors`` name with ``save_weights_only``;
            ``.keras``/``.h5`` (and ``.weights.h5``) names write real Keras 3 files,
            for models Keras can build (checked when training starts).
        monitor: the log compared when ``save_best_only``. Defaults to ``'val_loss'``.
        verbose: 1 prints a line per save. Defaults to 0.
        save_best_only: only save when ``monitor`` improves. Defaults to ``False``.
        save_weights_only: save only the weights (``model.save_weights``).
            Defaults to ``False``.
        mode: ``'auto'``, ``'min'`` or ``'max'``. Defaults to ``'auto'``.
        save_freq: ``'epoch'`` (default) or an int: save every that many batches.
        initial_value_threshold: the value to beat before the first save when
            ``save_best_only``. Defaults to ``None``.

    Example:
        >>> import os, tempfile, numpy as np, fitorch
        >>> folder = tempfile.mkdtemp()
        >>> model = fitorch.Sequential([fitorch.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> checkpoint = ModelCheckpoint(os.path.join(folder, "w-{epoch:02d}-{loss:.2f}.safetensors"),
        ...                              monitor="loss", save_weights_only=True)
        >>> _ = model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=2, verbose=0, callbacks=[checkpoint])
        >>> sorted(os.listdir(folder))
        ['w-01-0.00.safetensors', 'w-02-0.00.safetensors']
    """

    may_stop_mid_epoch = False  # its batch hooks never stop training

    def __init__(
        self,
        filepath: str | os.PathLike[str],
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: str | int = "epoch",
        initial_value_threshold: float | None = None,
    ) -> None:
        super().__init__(monitor, mode, initial_value_threshold)
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq < 1):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq!r}. Expected save_freq are 'epoch' or integer values >= 1."
            )
        self.filepath = os.fspath(filepath)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen: int | None = None
        self._current_epoch = 0

    def on_train_begin(self, logs: Logs = None) -> None:
        self._take_restored()
        # A Keras file name for a model with no Keras form is refused now, not after the first epoch's work.
        from fitorch.saving.model_file import keras_file_problem

        problem = keras_file_problem(self.model, self.filepath)
        if problem is not None:
            raise ValueError(f"ModelCheckpoint({self.filepath!r}): {problem}")

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=read_logs(logs))

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=dict(logs or {}))

    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq == "epoch":
            return False
        # Batch indices restart every epoch: count what was seen since the last one.
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            add_batches = batch + 1
        else:
            add_batches = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += add_batches
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _should_save_model(self, epoch: int, logs: dict[str, Any], filepath: str) -> bool:
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = as_number(logs.get(self.monitor))
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.", stacklevel=2)
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        best_str = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best_str} to {current:.5f}, "
                    f"saving model to {filepath}"
                )
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best_str}")
        return False

    def _save_model(self, epoch: int, batch: int | None, logs: dict[str, Any]) -> None:
        filepath = self._get_file_path(epoch, batch, logs)
        if os.path.isdir(filepath):
            raise OSError(
                f"Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing "
                f"directory: {filepath}"
            )
        if not self._should_save_model(epoch, logs, filepath):
            return
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)

    def _get_file_path(self, epoch: int, batch: int | None, logs: dict[str, Any]) -> str:
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as error:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {error}. '
                f"Available keys: epoch, batch, {', '.join(logs)}."
            ) from None

    # ------------------------------------------------------------------ resume
    def get_state(self) -> dict[str, Any]:
        """``best``, the batch counters, and the current epoch."""
        return {
            "best": json_number(self.best),
            "batches_seen_since_last_saving": self._batches_seen_since_last_saving,
            "last_batch_seen": self._last_batch_seen,
            "current_epoch": self._current_epoch,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self.best = from_json_number(state["best"])
        self._batches_seen_since_last_saving = int(state["batches_seen_since_last_saving"])
        self._last_batch_seen = state["last_batch_seen"]
        self._current_epoch = int(state["current_epoch"])
        self._restored = True
