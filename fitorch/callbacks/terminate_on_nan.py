"""``TerminateOnNaN``: stop training when the loss becomes NaN or infinite."""

from __future__ import annotations

import math
from typing import Any

import torch

from fitorch.callbacks.callback import Callback, Logs


class TerminateOnNaN(Callback):
    """Stops training (or raises) as soon as the loss is NaN or infinite.

    The batch logs' ``loss`` is the epoch's running mean, so once a batch loss is
    NaN or infinite it stays so for the rest of the epoch. On the CPU the value is
    checked after every batch. On CUDA, checking a device value after every batch
    would make the host wait for the GPU; instead each check copies a 1-element
    "not finite" flag to pinned host memory without blocking and reads it at a later
    batch once the copy has landed (a CUDA event says when). Training then stops
    within a batch or two of the bad batch, the loop never waits, and the epoch's
    final logs are checked too. Other accelerators read the loss every batch.

    Args:
        raise_error: raise a ``RuntimeError`` instead of setting
            ``model.stop_training``. Defaults to ``False``.

    Example:
        >>> import numpy as np, fitorch
        >>> model = fitorch.Sequential([fitorch.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> x = np.array([[1.0], [np.nan], [1.0], [1.0]], dtype="float32")
        >>> history = model.fit(x, np.ones((4, 1)), batch_size=1, epochs=3, verbose=0,
        ...                     shuffle=False, callbacks=[TerminateOnNaN()])  # doctest: +ELLIPSIS
        Batch 1: Invalid loss, terminating training
        >>> len(history.epoch)
        1
    """

    def __init__(self, raise_error: bool = False) -> None:
        super().__init__()
        self.raise_error = raise_error
        self._pending: tuple[int, torch.Tensor, Any] | None = None  # (batch, pinned flag, landed())

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._pending = None

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        loss = _loss_tensor(logs)
        if loss is None:
            return
        if not self._deferred(loss):
            value = float(loss)
            if math.isnan(value) or math.isinf(value):
                self._terminate(batch, value)
            return
        if self._pending is not None:
            pending_batch, flag, landed = self._pending
            if not landed():
                return  # the previous copy is still in flight; look again next batch
            self._pending = None
            if flag.item():  # a pinned host tensor: reading it does not touch the device
                self._terminate(pending_batch, float("nan"))
                return
        self._pending = (batch, *self._start_check(loss))

    @staticmethod
    def _deferred(loss: Any) -> bool:
        """Whether reading ``loss`` now would make the host wait for a GPU."""
        return isinstance(loss, torch.Tensor) and loss.device.type == "cuda"

    @staticmethod
    def _start_check(loss: torch.Tensor) -> tuple[torch.Tensor, Any]:
        """Starts copying "loss is not finite" to pinned host memory; returns it and a has-it-landed test."""
        flag = torch.empty((), dtype=torch.bool, pin_memory=True)
        flag.copy_(~torch.isfinite(loss.detach()), non_blocking=True)
        event = torch.cuda.Event()
        event.record()
        return flag, event.query

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        self._pending = None
        value = (logs or {}).get("loss")
        if value is not None and not self.model.stop_training and not math.isfinite(float(value)):
            self._terminate(self.params.get("steps") or 0, float(value))

    def _terminate(self, batch: int, value: float) -> None:
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. Loss value: {value}. Terminating training immediately."
            )
        print(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True


def _loss_tensor(logs: Logs) -> Any:
    """The logged loss without reading it: a device tensor for fitorch's lazy logs."""
    if logs is None:
        return None
    tensors = getattr(logs, "tensors", None)
    if tensors is not None:
        return tensors().get("loss")
    return logs.get("loss")
