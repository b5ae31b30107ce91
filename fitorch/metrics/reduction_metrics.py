"""Weighted streaming reductions: ``Sum``, ``Mean`` and ``MeanMetricWrapper``.

``MeanMetricWrapper`` is what string metrics and plain metric functions become: the
weighted mean, over every sample seen, of ``fn(y_true, y_pred)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from fitorch.losses.loss import Loss, apply_mask, squeeze_or_expand_to_same_rank
from fitorch.metrics.metric import Metric
from fitorch.utils.naming import to_snake_case


def reduce_to_samplewise_values(
    values: torch.Tensor,
    sample_weight: torch.Tensor | None,
    reduce_fn: Callable[..., torch.Tensor],
    dtype: torch.dtype,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Reduces ``values`` to one value per sample and applies ``sample_weight`` (Keras' rule).

    Values with more axes than the weight are first reduced over the extra trailing
    axes; a weight with more than one axis is then reduced to one weight per sample.

    Returns:
        ``(weighted per-sample values, per-sample weights or None)``.
    """
    values = values.to(dtype)
    if sample_weight is not None:
        sample_weight = torch.as_tensor(sample_weight, device=values.device).to(dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = sample_weight.dim(), values.dim()
        if values_ndim > weight_ndim:
            values = reduce_fn(values, dim=list(range(weight_ndim, values_ndim)))
        sample_weight = sample_weight.broadcast_to(values.shape)
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, dim=list(range(1, weight_ndim)))
    if values.dim() > 1:
        values = reduce_fn(values, dim=list(range(1, values.dim())))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of every value seen.

    Args:
        name: defaults to ``'sum'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = Sum()
        >>> m.update_state(torch.tensor([1.0, 3.0, 5.0, 7.0]))
        >>> float(m.result())
        16.0
    """

    def __init__(self, name: str | None = "sum", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.add_state("total")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values = self.as_state_tensor(values)
        values, _ = reduce_to_samplewise_values(values, sample_weight, torch.sum, self.dtype)
        self.total.add_(values.sum())

    def result(self) -> torch.Tensor:
        return self.total.clone()


class Mean(Metric):
    """The (weighted) mean of every value seen.

    Each sample counts with its weight (default 1). Values with several axes per
    sample are first averaged per sample, as in Keras.

    Args:
        name: defaults to ``'mean'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = Mean()
        >>> m.update_state(torch.tensor([1.0, 3.0, 5.0, 7.0]), sample_weight=[1.0, 1.0, 0.0, 0.0])
        >>> float(m.result())
        2.0
    """

    def __init__(self, name: str | None = "mean", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.add_state("total")
        self.add_state("count")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values = self.as_state_tensor(values)
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, torch.mean, self.dtype)
        self.total.add_(values.sum())
        if sample_weight is not None:
            self.count.add_(sample_weight.sum())
        else:
            self.count.add_(values.shape[0] if values.dim() >= 1 else 1)

    def result(self) -> torch.Tensor:
        # Keras' divide_no_nan: no data yet reads 0, without a host-side check.
        count = self.count
        return torch.where(count != 0, self.total / torch.where(count != 0, count, 1), torch.zeros_like(count))


def _is_loss(fn: Any) -> bool:
    if isinstance(fn, Loss):
        return True
    from fitorch.losses.registry import LOSS_FUNCTIONS

    name = getattr(fn, "__name__", None)
    return isinstance(name, str) and name in LOSS_FUNCTIONS and LOSS_FUNCTIONS.lookup(name) is fn


def _function_name(fn: Any) -> str:
    if isinstance(fn, Loss):
        return fn.name
    name = getattr(fn, "__name__", None)
    return name if name and name != "<lambda>" else to_snake_case(MeanMetricWrapper.__name__)


class MeanMetricWrapper(Mean):
    """The weighted mean of ``fn(y_true, y_pred)`` over every sample seen.

    Use it to turn any per-sample function into a streaming metric; string metrics
    (``'mae'``) and metric functions passed to ``compile`` become one. A fitorch
    :class:`~fitorch.losses.Loss` used as ``fn`` contributes its per-sample values
    (``loss.call``) and its mask, so samples are weighted individually.

    Args:
        fn: ``fn(y_true, y_pred, **kwargs)`` returning per-sample values.
        name: defaults to ``fn.__name__`` (a loss's ``name``).
        dtype: defaults to ``floatx()``.
        **kwargs: extra keyword arguments passed to ``fn``.

    Example:
        >>> def absolute_error(y_true, y_pred):
        ...     return (y_true - y_pred).abs()
        >>> m = MeanMetricWrapper(absolute_error)
        >>> m.update_state(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 3.0]))
        >>> m.name, float(m.result())
        ('absolute_error', 2.0)
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        name: str | None = None,
        dtype: str | torch.dtype | None = None,
        **kwargs: Any,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"MeanMetricWrapper expects a callable `fn`; received {fn!r} of type {type(fn).__name__}.")
        super().__init__(name=name or _function_name(fn), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        if _is_loss(fn):
            self._direction = "down"  # a loss used as a metric is minimized (Keras' rule)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        if isinstance(self._fn, Loss):
            y_pred = torch.as_tensor(y_pred)
            y_true = torch.as_tensor(y_true, device=y_pred.device)
            values = self._fn.call(y_true, y_pred)
            mask = self._fn.compute_mask(y_true, y_pred)
            if sample_weight is not None:
                sample_weight = torch.as_tensor(sample_weight, device=values.device)
            sample_weight = apply_mask(sample_weight, mask, self.dtype, reduction="sum")
        else:
            values = self._fn(y_true, y_pred, **self._fn_kwargs)
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict[str, Any]:
        """Returns the config; ``fn`` is stored by name (resolved through the metric registry)."""
        return {**super().get_config(), "fn": _function_name(self._fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> MeanMetricWrapper:
        """Creates the wrapper; a string ``fn`` is looked up among the metric functions."""
        from fitorch.metrics.registry import METRIC_FUNCTIONS

        return cls(**METRIC_FUNCTIONS.resolve(config, "fn"))


class FixedFunctionMetric(MeanMetricWrapper):
    """Base of the built-in mean metrics of one fixed function (``BinaryAccuracy``, ``MeanSquaredError`` ...).

    The function's keyword arguments become attributes of the metric, and its config
    is ``name``, ``dtype`` and those arguments (the function itself is implied by the class).

    Example:
        >>> from fitorch.metrics.regression_metrics import mean_absolute_error
        >>> class AbsoluteError(FixedFunctionMetric):
        ...     def __init__(self, name="absolute_error", dtype=None):
        ...         super().__init__(mean_absolute_error, name, dtype)
        >>> AbsoluteError().get_config()
        {'name': 'absolute_error', 'dtype': 'float32'}
    """

    def __init__(
        self, fn: Callable[..., Any], name: str | None, dtype: str | torch.dtype | None, **kwargs: Any
    ) -> None:
        super().__init__(fn, name=name, dtype=dtype, **kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get_config(self) -> dict[str, Any]:
        return {**Metric.get_config(self), **self._fn_kwargs}
