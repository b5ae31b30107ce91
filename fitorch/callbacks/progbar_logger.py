"""``ProgbarLogger``: prints ``Epoch 1/3`` and the Keras progress bar (``fit`` adds it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO

from fitorch.callbacks.callback import Callback, Logs
from fitorch.training.logs import read_logs
from fitorch.utils.io_utils import print_msg
from fitorch.utils.progbar import Progbar


class ProgbarLogger(Callback):
    """Shows training, evaluation and prediction progress.

    Args:
        verbose: ``1`` for a live bar per epoch, ``2`` for one line per epoch.
        stream: where to write; default ``sys.stdout``.
    """

    may_stop_mid_epoch = False  # its batch hooks never stop training

    def __init__(self, verbose: int = 1, stream: IO[str] | None = None) -> None:
        super().__init__()
        self.verbose = verbose
        self.stream = stream
        self.bar: Progbar | None = None
        self.seen = 0
        self.in_fit = False

    def _start(self, steps: int | None) -> None:
        self.bar = Progbar(steps, verbose=self.verbose, stream=self.stream)
        self.seen = 0

    def _progress(self, batch: int, logs: Logs) -> None:
        self.seen = batch + 1
        if self.bar is not None and self.bar.due():
            self.bar.update(self.seen, read_logs(logs))

    def _finish(self, logs: Mapping[str, float] | None) -> None:
        if self.bar is not None:
            self.bar.update(self.seen, dict(logs or {}), finalize=True)
            self.bar = None

    def on_train_begin(self, logs: Logs = None) -> None:
        self.in_fit = True

    def on_train_end(self, logs: Logs = None) -> None:
        self.in_fit = False

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        print_msg(f"Epoch {epoch + 1}/{self.params.get('epochs')}", self.stream)
        self._start(self.params.get("steps"))

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._progress(batch, logs)

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        self._finish(logs)

    def on_test_begin(self, logs: Logs = None) -> None:
        if not self.in_fit:
            self._start(self.params.get("steps"))

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        if not self.in_fit:
            self._progress(batch, logs)

    def on_test_end(self, logs: Logs = None) -> None:
        if not self.in_fit:
            self._finish(logs)

    def on_predict_begin(self, logs: Logs = None) -> None:
        self._start(self.params.get("steps"))

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._progress(batch, None)

    def on_predict_end(self, logs: Logs = None) -> None:
        self._finish(None)
