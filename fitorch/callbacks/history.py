"""``History``: the record ``fit`` returns, ``history.history['loss']`` per epoch."""

from __future__ import annotations

import os
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
        self._restored = False

    def on_train_begin(self, logs: Logs = None) -> None:
        if self._restored:
            self._restored = False
            return
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

    def plot(self, path: str | os.PathLike[str] = "history.png", title: str | None = None) -> str:
        """Writes a PNG with one panel per metric: train and validation curves against epochs.

        Args:
            path: the PNG file to write. Defaults to ``'history.png'``.
            title: an optional figure title.

        Returns:
            The path written.

        Raises:
            ImportError: when matplotlib is missing (``pip install 'fitorch[plot]'``).
            ValueError: when nothing was recorded yet.

        Example:
            >>> import os, tempfile, numpy as np, fitorch
            >>> model = fitorch.Sequential([fitorch.layers.Dense(1)])
            >>> model.compile("sgd", "mse", metrics=["mae"])
            >>> history = model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=2, verbose=0, validation_split=0.25)
            >>> path = history.plot(os.path.join(tempfile.mkdtemp(), "curves.png"))
            >>> os.path.getsize(path) > 0
            True
        """
        from fitorch.utils.plotting import plot_history

        if not self.history:
            raise ValueError("History.plot: nothing to plot yet; fit the model first.")
        return plot_history(self, path, title=title)

    def get_state(self) -> dict[str, Any]:
        """Everything recorded so far (plain JSON data), so a resumed run's history is complete."""
        return self.to_dict()

    def set_state(self, state: dict[str, Any]) -> None:
        self.epoch = list(state["epoch"])
        self.history = {k: list(v) for k, v in state["history"].items()}
        self._restored = True
