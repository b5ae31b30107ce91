"""Huber loss: quadratic for small errors, linear for large ones."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.losses.loss import Loss, cast_to_prediction


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> torch.Tensor:
    """Returns the per-sample Huber loss, averaged over the last axis.

    Per element: ``0.5 * e**2`` if ``|e| <= delta`` else ``delta * (|e| - 0.5 * delta)``,
    with ``e = y_pred - y_true``; computed by torch's fused ``F.huber_loss``.

    Example:
        >>> huber(torch.tensor([[0.0, 0.0]]), torch.tensor([[0.5, 3.0]])).tolist()
        [1.3125]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    return F.huber_loss(y_pred, y_true, reduction="none", delta=float(delta)).mean(dim=-1)


class Huber(Loss):
    """Huber loss: robust regression, less sensitive to outliers than squared error.

    String names: ``'huber'``, ``'huber_loss'``.

    Args:
        delta: the error size where the loss turns from quadratic to linear; > 0.
            Defaults to 1.0.
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'huber_loss'``, Keras' name.

    Example:
        >>> loss = Huber(delta=1.0)
        >>> round(float(loss(torch.tensor([[0.0, 0.0]]), torch.tensor([[0.5, 3.0]]))), 4)
        1.3125
    """

    _config_keys = ("delta",)

    def __init__(
        self,
        delta: float = 1.0,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = "huber_loss",
    ) -> None:
        super().__init__(name=name, reduction=reduction)
        if not delta > 0:
            raise ValueError(f"`delta` must be > 0; received delta={delta!r}.")
        self.delta = float(delta)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return huber(y_true, y_pred, self.delta)
