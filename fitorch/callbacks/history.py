"""``History``: the record ``fit`` returns, ``history.history['loss']`` per epoch."""

from __future__ import annotations

from typing import Any

from fitorch.callbacks.callback import Callback, Logs


class History(Callback):
    """Records every epoch's logs; ``fit`` adds one and returns it.

    Attributes:
        epoch: the epoch indices seen.
        history: ``{'loss': [...], 'val_loss': [...], ...}``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.epoch: list[int] = []
        self.history: dict[str, list[float]] = {}

    def on_train_begin(self, logs: Logs = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        self.model.history = self

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={sorted(self.history)})"

    def to_dict(self) -> dict[str, Any]:
        return {"epoch": list(self.epoch), "history": {k: list(v) for k, v in self.history.items()}}
