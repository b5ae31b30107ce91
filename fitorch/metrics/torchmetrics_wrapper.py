"""``TorchMetricsWrapper``: use any ``torchmetrics`` metric in ``compile(metrics=[...])``.

fitorch's built-in metrics reproduce Keras (``sample_weight`` included, no host reads
per update), so they are written in fitorch. The rest of the torchmetrics catalogue
(PSNR, SSIM, BLEU, calibration error, ...) plugs in through this wrapper, from the
optional ``metrics`` extra (``pip install 'fitorch[metrics]'``).
"""

from __future__ import annotations

from typing import Any

import torch

from fitorch.metrics.metric import Metric
from fitorch.utils.naming import to_snake_case


def is_torchmetrics_metric(value: Any) -> bool:
    """True for a ``torchmetrics.Metric`` instance (checked without importing torchmetrics)."""
    return any(
        cls.__module__.startswith("torchmetrics") and cls.__name__ == "Metric" for cls in type(value).__mro__
    )


class TorchMetricsWrapper(Metric):
    """A ``torchmetrics.Metric`` behind Keras' metric API.

    ``update_state(y_true, y_pred)`` calls ``metric.update(y_pred, y_true)`` (torchmetrics
    takes predictions first), ``result()`` calls ``metric.compute()`` and
    ``reset_state()`` calls ``metric.reset()``. The wrapped metric is a submodule, so
    it moves with ``.to(device)`` and its states follow the batches' device. Some
    torchmetrics metrics read device values in ``update`` or ``compute`` (checks
    of the input range, sizes), which makes the host wait for the GPU; and they take
    no ``sample_weight``.

    ``compile(metrics=[torchmetrics.classification.BinaryCalibrationError()])`` wraps a
    torchmetrics metric automatically.

    Args:
        metric: a ``torchmetrics.Metric`` instance.
        name: the log name; defaults to the metric's class name in snake_case.
        direction: ``'up'`` or ``'down'``: which way the metric improves (used by
            ``mode='auto'`` in ``EarlyStopping`` and friends); ``None`` when unknown.

    Example:
        >>> import torchmetrics
        >>> m = TorchMetricsWrapper(torchmetrics.regression.MeanAbsoluteError(), direction="down")
        >>> m.update_state(torch.tensor([1.0, 2.0]), torch.tensor([1.5, 2.5]))
        >>> m.name, float(m.result())
        ('mean_absolute_error', 0.5)
    """

    def __init__(self, metric: Any, name: str | None = None, direction: str | None = None) -> None:
        if not is_torchmetrics_metric(metric):
            raise TypeError(
                f"TorchMetricsWrapper expects a torchmetrics.Metric instance; received {type(metric).__name__}."
            )
        if direction not in (None, "up", "down"):
            raise ValueError(f"`direction` must be 'up', 'down' or None; received direction={direction!r}.")
        super().__init__(name=name or to_snake_case(type(metric).__name__))
        self.metric = metric
        if direction is not None:
            self._direction = direction
        self._device: torch.device | None = None

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        if sample_weight is not None:
            raise ValueError(
                f"Metric {self.name!r} wraps a torchmetrics metric, which takes no sample_weight; "
                "use it in compile(metrics=...), not weighted_metrics."
            )
        y_pred = torch.as_tensor(y_pred)
        if self._device != y_pred.device:
            self.metric.to(y_pred.device)
            self._device = y_pred.device
        self.metric.update(y_pred, torch.as_tensor(y_true, device=y_pred.device))

    def result(self) -> torch.Tensor:
        # torchmetrics syncs its own states across ranks in compute(); fitorch asks for
        # that only when every rank reads together (epoch ends), never for the progress
        # bar's reads on rank 0 alone, which would wait forever for the other ranks.
        from fitorch.distributed.collectives import reading_globally

        metric = self.metric
        metric._computed = None  # its cache cannot tell a rank-local result from a global one
        metric._to_sync = metric.sync_on_compute and reading_globally()
        return metric.compute()

    def reducible_states(self) -> list[tuple[torch.Tensor, str]]:
        return []  # torchmetrics reduces its own states (see result)

    def reset_state(self) -> None:
        self.metric.reset()

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError(
            "TorchMetricsWrapper cannot be serialized to a config: recreate the torchmetrics metric in code "
            "and pass it to compile() after loading."
        )
