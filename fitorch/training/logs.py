"""Logs that stay on the device until someone reads them.

The training loop never converts a loss or metric to a Python float per step: that
would wait for the device (a host sync) every step. Instead each step hands out a
``MetricLogs`` mapping whose values are computed from the metrics' device state
only when a reader asks (the progress bar a few times a second, a callback that
reads ``logs['loss']``, or the end of the epoch, which reads them all at once).

Example:
    >>> import torch
    >>> from fitorch.metrics import Mean
    >>> loss = Mean(name="loss")
    >>> loss.update_state(torch.tensor([1.0, 3.0]))
    >>> logs = MetricLogs([loss])
    >>> logs["loss"], logs.materialize()
    (2.0, {'loss': 2.0})
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import torch


def read_logs(logs: Mapping[str, Any] | None) -> dict[str, float]:
    """Logs as a plain dict: lazy ``MetricLogs`` are materialized with one device read.

    Example:
        >>> read_logs(None), read_logs({"loss": 0.5})
        ({}, {'loss': 0.5})
    """
    if logs is None:
        return {}
    materialize = getattr(logs, "materialize", None)
    return materialize() if materialize is not None else dict(logs)


class MetricLogs(Mapping):
    """A read-only mapping ``name -> float`` computed lazily from metrics.

    Args:
        metrics: objects with ``name`` and ``result()`` (fitorch ``Metric``s).
    """

    def __init__(self, metrics: list[Any]) -> None:
        self._metrics = {m.name: m for m in metrics}

    def __getitem__(self, name: str) -> float:
        return float(self._metrics[name].result())

    def __iter__(self) -> Iterator[str]:
        return iter(self._metrics)

    def __len__(self) -> int:
        return len(self._metrics)

    def metrics(self) -> list[Any]:
        """The metric objects behind the values (a distributed run reduces their state)."""
        return list(self._metrics.values())

    def tensors(self) -> dict[str, torch.Tensor]:
        """The current values as 0-d device tensors (no host sync)."""
        return {name: metric.result() for name, metric in self._metrics.items()}

    def materialize(self) -> dict[str, float]:
        """All values as floats, with a single device-to-host transfer."""
        if not self._metrics:
            return {}
        values = torch.stack([t.detach().float().reshape(()) for t in self.tensors().values()]).cpu().tolist()
        return dict(zip(self._metrics, values, strict=True))

    def __repr__(self) -> str:
        return f"MetricLogs({list(self._metrics)})"


class StepOutputMeans(MetricLogs):
    """Running means of whatever a custom ``train_step`` returns (a tensor or a dict).

    A bare tensor is logged as ``loss``. Values are accumulated on the device. With
    ``latest``, the values the last step returned are logged instead, as Keras does: for
    a step that returns its metrics' results (already epoch means), which is also what a
    dict with a nested dict is (Keras' ``compile_metrics`` results, flattened here as
    Keras flattens them).

    Args:
        latest: log the last step's values rather than their running means.
    """

    def __init__(self, latest: bool = False) -> None:
        super().__init__([])
        self.latest = latest

    def update(self, values: Any) -> None:
        from fitorch.metrics import Mean

        if isinstance(values, torch.Tensor):
            values = {"loss": values}
        elif any(isinstance(value, Mapping) for value in values.values()):
            values, self.latest = flatten_logs(values), True
        if self.latest:
            self.reset_state()
        for name, value in values.items():
            if name not in self._metrics:
                device = value.device if isinstance(value, torch.Tensor) else None
                self._metrics[name] = Mean(name=name).to(device) if device is not None else Mean(name=name)
            self._metrics[name].update_state(value.detach() if isinstance(value, torch.Tensor) else value)

    def reset_state(self) -> None:
        for metric in self._metrics.values():
            metric.reset_state()


def flatten_logs(values: Mapping[str, Any]) -> dict[str, Any]:
    """Nested dicts of log values merged into one level (Keras logs ``compile_metrics``' entries by their names).

    Example:
        >>> flatten_logs({"loss": 1.0, "compile_metrics": {"mae": 0.5}})
        {'loss': 1.0, 'mae': 0.5}
    """
    flat: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Mapping):
            flat.update(flatten_logs(value))
        else:
            flat[name] = value
    return flat
