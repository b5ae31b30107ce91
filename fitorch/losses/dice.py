"""Dice loss: ``1 - 2 |y_true * y_pred| / (|y_true| + |y_pred|)``, the overlap loss of segmentation."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.losses.loss import Loss, cast_to_prediction

Axis = int | tuple[int, ...] | list[int] | None


def overlap_axis_argument(owner: str, axis: Any) -> Axis:
    """Checks the ``axis`` of the overlap losses (Dice, Tversky): ``None``, an int, or a tuple/list of ints.

    Example:
        >>> overlap_axis_argument("Dice", (1, 2))
        (1, 2)
    """
    is_int = isinstance(axis, int) and not isinstance(axis, bool)
    is_int_sequence = isinstance(axis, (tuple, list)) and all(
        isinstance(a, int) and not isinstance(a, bool) for a in axis
    )
    if axis is not None and not is_int and not is_int_sequence:
        raise ValueError(
            f"{owner}: `axis` must be None, an int or a tuple of ints; received axis={axis!r} "
            f"of type {type(axis).__name__}."
        )
    return axis


def sum_over(x: torch.Tensor, axis: Axis) -> torch.Tensor:
    """``x`` summed over ``axis``; ``None`` sums everything to a 0-d tensor.

    Example:
        >>> sum_over(torch.ones(2, 3), (0, 1)).item(), sum_over(torch.ones(2, 3), None).item()
        (6.0, 6.0)
    """
    if axis is None:
        return x.sum()
    return x.sum(dim=tuple(axis) if isinstance(axis, (tuple, list)) else axis)


def dice(y_true: Any, y_pred: Any, axis: Axis = None) -> torch.Tensor:
    """Returns ``1 - 2 sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + eps)``, summing over ``axis``.

    Args:
        y_true: targets in ``[0, 1]`` (e.g. segmentation masks).
        y_pred: predicted probabilities, the same shape.
        axis: the axes summed; ``None`` (the default) sums everything and gives one
            value for the whole batch, ``(1, 2, 3)`` gives one per image of a
            ``(B, H, W, C)`` batch.

    Example:
        >>> y_true = torch.tensor([[1.0, 1.0, 0.0, 0.0]])
        >>> y_pred = torch.tensor([[0.5, 1.0, 0.5, 0.0]])
        >>> round(float(dice(y_true, y_pred)), 4)
        0.25
    """
    axis = overlap_axis_argument("dice", axis)
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    intersection = sum_over(y_true * y_pred, axis)
    return 1.0 - 2.0 * intersection / (sum_over(y_true, axis) + sum_over(y_pred, axis) + config.epsilon())


class Dice(Loss):
    """Dice loss, ``1 - Dice coefficient``: rewards overlap of predicted and true masks.

    Use it for segmentation, where the foreground is small and pixel-wise
    cross-entropy is dominated by the background. String name: ``'dice'``.

    Args:
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'dice'``.
        axis: the axes summed. ``None`` (the default) gives one value for the whole
            batch; ``(1, 2, 3)`` one per sample of an image batch.

    Example:
        >>> loss = Dice()
        >>> round(float(loss(torch.tensor([[1.0, 1.0, 0.0, 0.0]]), torch.tensor([[0.5, 1.0, 0.5, 0.0]]))), 4)
        0.25
    """

    _config_keys = ("axis",)

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str | None = "dice", axis: Axis = None
    ) -> None:
        super().__init__(name=name, reduction=reduction)
        self.axis = overlap_axis_argument("Dice", axis)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return dice(y_true, y_pred, axis=self.axis)
