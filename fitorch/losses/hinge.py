"""Hinge losses: hinge, squared hinge and categorical hinge (maximum-margin losses)."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.losses.loss import Loss, cast_to_prediction


def _to_signed_labels(y_true: torch.Tensor) -> torch.Tensor:
    # Keras converts 0/1 labels to -1/1 when *every* label is 0 or 1. The check is a
    # device-side where, not a Python if, so it costs no host sync.
    is_binary = ((y_true == 0) | (y_true == 1)).all()
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns the per-sample hinge loss, averaged over the last axis.

    ``y_true`` should be -1 or 1; a batch whose labels are all 0 or 1 is converted
    to -1/1 first, as in Keras.

    Example:
        >>> hinge(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.5, -2.0]])).tolist()
        [0.25]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    y_true = _to_signed_labels(y_true)
    return torch.clamp(1.0 - y_true * y_pred, min=0.0).mean(dim=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns the per-sample squared hinge loss, averaged over the last axis.

    ``mean(square(max(1 - y_true * y_pred, 0)), axis=-1)``; ``y_true`` should be -1 or 1,
    a batch whose labels are all 0 or 1 is converted to -1/1 first, as in Keras.

    Example:
        >>> squared_hinge(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.5, -2.0]])).tolist()
        [0.125]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    y_true = _to_signed_labels(y_true)
    return torch.clamp(1.0 - y_true * y_pred, min=0.0).square().mean(dim=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> torch.Tensor:
    """Returns the per-sample categorical hinge loss ``max(neg - pos + 1, 0)``.

    ``pos = sum(y_true * y_pred, axis=-1)`` and ``neg = max((1 - y_true) * y_pred, axis=-1)``;
    ``y_true`` is one-hot (0/1) or -1/1.

    Example:
        >>> categorical_hinge(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.75]])).tolist()
        [0.75]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    pos = (y_true * y_pred).sum(dim=-1)
    neg = ((1.0 - y_true) * y_pred).amax(dim=-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


class Hinge(Loss):
    """Hinge loss, the maximum-margin loss of support vector machines.

    Use it with a linear (``tanh`` or no activation) output and -1/1 labels.
    String name: ``'hinge'``.

    Args:
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'hinge'``.

    Example:
        >>> loss = Hinge()
        >>> round(float(loss(torch.tensor([[1.0], [-1.0]]), torch.tensor([[0.5], [0.5]]))), 4)
        1.0
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = "hinge") -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return hinge(y_true, y_pred)


class SquaredHinge(Loss):
    """Squared hinge loss: the hinge loss squared, which punishes large margin violations more.

    Use it like :class:`Hinge`, with -1/1 (or 0/1) labels and a linear output.
    String name: ``'squared_hinge'``.

    Args:
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'squared_hinge'``.

    Example:
        >>> loss = SquaredHinge()
        >>> round(float(loss(torch.tensor([[1.0], [-1.0]]), torch.tensor([[0.5], [0.5]]))), 4)
        1.25
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = "squared_hinge") -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return squared_hinge(y_true, y_pred)


class CategoricalHinge(Loss):
    """Categorical hinge loss: the true class's score must beat every other class's by a margin of 1.

    Use it for multi-class problems with one-hot targets and unnormalised scores.
    String name: ``'categorical_hinge'``.

    Args:
        reduction: see :class:`fitorch.losses.Loss`.
        name: defaults to ``'categorical_hinge'``.

    Example:
        >>> loss = CategoricalHinge()
        >>> round(float(loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.75]]))), 4)
        0.75
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = "categorical_hinge") -> None:
        super().__init__(name=name, reduction=reduction)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return categorical_hinge(y_true, y_pred)
