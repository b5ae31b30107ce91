"""``MonitorCallback``: the shared parent of callbacks that watch one logged value.

``EarlyStopping``, ``ModelCheckpoint`` and ``ReduceLROnPlateau`` compare a monitored
log (``'val_loss'``, ``'val_accuracy'``, ...) against the best value so far. With
``mode='auto'`` the direction comes from the metric, as in Keras: losses go down,
metrics say which way they improve (``accuracy`` and ``auc`` up, ``mae`` down).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from fitorch.callbacks.callback import Callback

DIRECTION_UNKNOWN = (
    "{owner} callback received monitor={monitor}, but fitorch isn't able to automatically determine "
    "whether that metric should be maximized or minimized. Pass `mode='max'` in order to monitor based "
    "on the highest metric value, or pass `mode='min'` in order to use the lowest value."
)


# Keras compares with ops.less / ops.greater, i.e. in float32: a change below float32's
# resolution is not an improvement. Comparing the same way keeps every decision Keras'.
def _less(a: float, b: float) -> bool:
    return bool(np.float32(a) < np.float32(b))


def _greater(a: float, b: float) -> bool:
    return bool(np.float32(a) > np.float32(b))


def compiled_metrics(model: Any) -> Mapping[str, Any]:
    """The model's compiled metrics (and loss trackers) by log name; empty before the first batch."""
    logs = getattr(getattr(model, "_compile_config", None), "logs", None)
    return dict(getattr(logs, "_metrics", {}) or {})


def metric_direction(model: Any, monitor: str) -> str | None:
    """``'up'``, ``'down'`` or ``None`` (unknown) for a monitored log name."""
    name = monitor.removeprefix("val_")
    if name == "loss" or name.endswith("_loss"):
        return "down"
    metric = compiled_metrics(model).get(name)
    return getattr(metric, "_direction", None)


def as_number(value: Any) -> float | None:
    """A monitored value as a float (0-d tensors and NumPy scalars included); ``None`` if absent."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    return float(value)


class MonitorCallback(Callback):
    """Base class: tracks whether a monitored value improves.

    Args:
        monitor: the log to watch. Defaults to ``'val_loss'``.
        mode: ``'auto'``, ``'min'`` or ``'max'``; an unknown mode warns and falls back
            to ``'auto'``.
        baseline: the value to beat first (``best`` starts there); ``None`` for none.
        min_delta: the smallest change that counts as an improvement (its sign is ignored).
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "auto", baseline: float | None = None,
                 min_delta: float = 0) -> None:  # fmt: skip
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.", stacklevel=3)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best: float | None = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op: Callable[[float, float], bool] | None = None
        self._restored = False

    def _set_monitor_op(self) -> None:
        if self.mode == "min":
            self.monitor_op = _less
        elif self.mode == "max":
            self.monitor_op = _greater
        else:
            direction = metric_direction(self.model, self.monitor)
            if direction is None:
                raise ValueError(DIRECTION_UNKNOWN.format(owner=type(self).__name__, monitor=self.monitor))
            self.monitor_op = _greater if direction == "up" else _less
        if self.monitor_op is _less:
            self.min_delta = -abs(self.min_delta)

    def _is_improvement(self, monitor_value: float, reference_value: float | None) -> bool:
        if reference_value is None:
            return True
        return self.monitor_op(monitor_value - self.min_delta, reference_value)

    def _take_restored(self) -> bool:
        """True once after :meth:`set_state`: ``on_train_begin`` then keeps the counters."""
        restored, self._restored = self._restored, False
        return restored


def json_number(value: float | None) -> float | str | None:
    """``value`` as strict JSON data: infinities and NaN become strings."""
    if value is None or math.isfinite(value):
        return value
    return str(value)


def from_json_number(value: float | str | None) -> float | None:
    return float(value) if isinstance(value, str) else value
