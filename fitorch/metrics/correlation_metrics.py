"""Correlation metrics: Pearson's and the concordance correlation coefficient, per sample.

Like Keras' metrics of the same name, the coefficient is computed along ``axis`` (by
default over each sample's features) and then averaged over every sample seen; it is
not one coefficient over the whole stream.
"""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.losses.loss import cast_to_prediction
from fitorch.metrics.reduction_metrics import FixedFunctionMetric

Axis = int | tuple[int, ...] | list[int]


def _dims(axis: Axis) -> int | tuple[int, ...]:
    return tuple(axis) if isinstance(axis, (tuple, list)) else axis


def _check_axis(owner: str, axis: Any) -> None:
    is_int = isinstance(axis, int) and not isinstance(axis, bool)
    is_ints = isinstance(axis, (tuple, list)) and all(isinstance(a, int) and not isinstance(a, bool) for a in axis)
    if not (is_int or (is_ints and len(axis) > 0)):
        raise TypeError(
            f"{owner}: `axis` must be an integer or a non-empty tuple of integers; "
            f"received axis={axis!r} of type {type(axis).__name__}."
        )


def pearson_correlation(y_true: Any, y_pred: Any, axis: Axis = -1) -> torch.Tensor:
    """Returns Pearson's correlation coefficient between ``y_true`` and ``y_pred`` along ``axis``.

    Both are centered and divided by their (population) standard deviation along
    ``axis``; the coefficient is the mean of their product. A constant row has no
    standard deviation and gives NaN, as in Keras.

    Args:
        y_true: the targets.
        y_pred: the predictions, the same shape.
        axis: the axis (or axes) along which to correlate. Defaults to -1.

    Returns:
        The coefficients, in ``[-1, 1]``, with ``axis`` reduced away.

    Example:
        >>> values = pearson_correlation([[0, 1, 0.5], [1, 1, 0.2]], torch.tensor([[0.1, 0.9, 0.5], [1, 0.9, 0.2]]))
        >>> [round(v, 4) for v in values.tolist()]
        [1.0, 0.9934]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    dims = _dims(axis)

    def standardized(x: torch.Tensor) -> torch.Tensor:
        centered = x - x.mean(dim=dims, keepdim=True)
        return centered / centered.std(dim=dims, correction=0, keepdim=True)

    return (standardized(y_true) * standardized(y_pred)).mean(dim=dims)


def concordance_correlation(y_true: Any, y_pred: Any, axis: Axis = -1) -> torch.Tensor:
    """Returns Lin's concordance correlation coefficient between ``y_true`` and ``y_pred`` along ``axis``.

    ``2 * cov(t, p) / (var(t) + var(p) + (mean(t) - mean(p))^2 + epsilon)`` with population
    (co)variances: like Pearson's coefficient, but also penalizing a shift or a scale
    between predictions and targets, so only ``p == t`` scores 1.

    Args:
        y_true: the targets.
        y_pred: the predictions, the same shape.
        axis: the axis (or axes) along which to compare. Defaults to -1.

    Returns:
        The coefficients, in ``[-1, 1]``, with ``axis`` reduced away.

    Example:
        >>> values = concordance_correlation([[0, 1, 0.5], [1, 1, 0.2]], torch.tensor([[0.1, 0.9, 0.5], [1, 0.9, 0.2]]))
        >>> [round(v, 4) for v in values.tolist()]
        [0.9756, 0.9877]
    """
    y_true, y_pred = cast_to_prediction(y_true, y_pred)
    dims = _dims(axis)
    true_mean = y_true.mean(dim=dims, keepdim=True)
    pred_mean = y_pred.mean(dim=dims, keepdim=True)
    true_centered, pred_centered = y_true - true_mean, y_pred - pred_mean
    covariance = (true_centered * pred_centered).mean(dim=dims, keepdim=True)
    norm = (
        true_centered.square().mean(dim=dims, keepdim=True)
        + pred_centered.square().mean(dim=dims, keepdim=True)
        + (true_mean - pred_mean).square()
    )
    return (2.0 * covariance / (norm + config.epsilon())).squeeze(dims)


class PearsonCorrelation(FixedFunctionMetric):
    """The mean Pearson correlation coefficient (PCC) between targets and predictions.

    Use it in regression, where how linearly predictions follow the targets matters
    more than their scale: 1 is a perfect positive linear relation, 0 none, -1 a
    perfect negative one. Each sample's coefficient is computed along ``axis``, then
    averaged (weighted by ``sample_weight``) over every sample seen. Maximized:
    ``EarlyStopping(mode='auto')`` treats higher as better. String name:
    ``'pearson_correlation'``.

    Args:
        name: defaults to ``'pearson_correlation'``.
        dtype: defaults to ``floatx()``.
        axis: the axis (or tuple of axes) along which to correlate. Defaults to -1.

    Example:
        >>> m = PearsonCorrelation(axis=-1)
        >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
        >>> round(float(m.result()), 4)
        0.9967
    """

    _direction = "up"

    def __init__(
        self, name: str | None = "pearson_correlation", dtype: str | torch.dtype | None = None, axis: Axis = -1
    ) -> None:
        _check_axis("PearsonCorrelation", axis)
        super().__init__(pearson_correlation, name, dtype, axis=axis)


class ConcordanceCorrelation(FixedFunctionMetric):
    """The mean concordance correlation coefficient (CCC) between targets and predictions.

    Use it in regression when predictions should *agree* with the targets, not only
    correlate: a shift or a scale lowers the score, and only ``y_pred == y_true``
    reaches 1. Each sample's coefficient is computed along ``axis``, then averaged
    (weighted by ``sample_weight``) over every sample seen. Maximized. String name:
    ``'concordance_correlation'``.

    Args:
        name: defaults to ``'concordance_correlation'``.
        dtype: defaults to ``floatx()``.
        axis: the axis (or tuple of axes) along which to compare. Defaults to -1.

    Example:
        >>> m = ConcordanceCorrelation(axis=-1)
        >>> m.update_state([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]])
        >>> round(float(m.result()), 4)
        0.9816
    """

    _direction = "up"

    def __init__(
        self, name: str | None = "concordance_correlation", dtype: str | torch.dtype | None = None, axis: Axis = -1
    ) -> None:
        _check_axis("ConcordanceCorrelation", axis)
        super().__init__(concordance_correlation, name, dtype, axis=axis)
