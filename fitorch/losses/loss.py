"""The ``Loss`` base class and the Keras reduction rules every loss shares.

A loss is called as ``loss(y_true, y_pred, sample_weight=None)`` and returns a 0-d
tensor. Subclasses implement only ``call(y_true, y_pred)``, which returns one value
per sample (the last axis reduced, as in Keras); the base class applies
``sample_weight``, any mask, and the ``reduction``.

Nothing here reads a tensor's value on the host: losses run in the training hot
loop, so every branch is on shapes and dtypes, never on data.

Example:
    >>> import torch
    >>> class AbsoluteError(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return (y_true - y_pred).abs().mean(dim=-1)
    >>> loss = AbsoluteError(reduction="sum")
    >>> round(float(loss(torch.zeros(2, 2), torch.ones(2, 2), sample_weight=[1.0, 0.5])), 4)
    1.5
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from fitorch import config
from fitorch.utils.naming import to_snake_case

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)

_LOW_PRECISION = (torch.float16, torch.bfloat16)
_FULL_PRECISION = (torch.float32, torch.float64)
# Reductions that equal the plain mean when there are no weights or masks.
_MEAN_REDUCTIONS = ("sum_over_batch_size", "mean")


def standardize_reduction(reduction: str | None) -> str | None:
    """Returns ``reduction`` after checking it is one Keras accepts.

    Raises:
        ValueError: for any other value; the message lists the valid ones.
    """
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`: expected one of {list(REDUCTIONS)}, "
            f"received reduction={reduction!r}."
        )
    return reduction


def squeeze_or_expand_to_same_rank(
    x1: torch.Tensor, x2: torch.Tensor, expand_rank_1: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """Squeezes or expands a trailing size-1 axis when the ranks differ by exactly one.

    This is Keras' rule that makes ``y_true`` of shape ``(B,)`` and ``y_pred`` of shape
    ``(B, 1)`` line up instead of broadcasting to ``(B, B)``.

    Example:
        >>> a, b = squeeze_or_expand_to_same_rank(torch.zeros(4), torch.zeros(4, 1))
        >>> tuple(a.shape), tuple(b.shape)
        ((4, 1), (4, 1))
    """
    rank1, rank2 = x1.dim(), x2.dim()
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def cast_to_prediction(y_true: Any, y_pred: Any, squeeze: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """Returns ``(y_true, y_pred)`` as tensors on ``y_pred``'s device, ``y_true`` in its dtype.

    Integer predictions become ``floatx``. With ``squeeze``, a trailing size-1 axis is
    squeezed or expanded as :func:`squeeze_or_expand_to_same_rank` does.
    """
    y_pred = torch.as_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(config.floatx_dtype())
    y_true = torch.as_tensor(y_true, device=y_pred.device).to(y_pred.dtype)
    if squeeze:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def _align_sample_weight(values: torch.Tensor, sample_weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Lines ``sample_weight`` up with ``values`` as Keras does, plus one addition.

    Keras squeezes/expands a trailing size-1 axis and then broadcasts. When the weight
    has fewer axes than the values and matches their leading axes (a ``(B,)`` weight on
    ``(B, T)`` per-timestep losses), Keras 3's losses raise a broadcasting error; here
    the weight gets trailing unit axes instead, as Keras' metrics already do.
    """
    values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
    extra = values.dim() - sample_weight.dim()
    if (
        extra > 0
        and sample_weight.dim() > 0
        and tuple(sample_weight.shape) == tuple(values.shape[: sample_weight.dim()])
    ):
        sample_weight = sample_weight.reshape(*sample_weight.shape, *([1] * extra))
    return values, sample_weight


def apply_mask(
    sample_weight: torch.Tensor | None, mask: torch.Tensor | None, dtype: torch.dtype, reduction: str | None
) -> torch.Tensor | None:
    """Merges a boolean ``mask`` into ``sample_weight`` (Keras' ``apply_mask``).

    For the averaging reductions a valid entry weighs ``total / valid`` so that the
    final division by the number of elements averages over the valid entries only.
    """
    if mask is None:
        return sample_weight
    mask = mask.to(dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        total = mask.numel()
        valid = mask.sum()
        # Keras' divide_no_nan: an all-masked batch gets weight 0, not nan.
        mask_weight = torch.where(valid > 0, total / valid.clamp_min(1), torch.zeros_like(valid))
        mask = mask * mask_weight
    if sample_weight is None:
        return mask
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight.to(dtype))
    return sample_weight * mask


def reduce_values(
    values: torch.Tensor,
    sample_weight: torch.Tensor | None = None,
    reduction: str | None = "sum_over_batch_size",
) -> torch.Tensor:
    """Reduces already-weighted ``values`` to a scalar as ``reduction`` says."""
    if reduction in (None, "none") or values.dim() == 0 or tuple(values.shape) == (0,):
        return values
    loss = values.sum()
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = sample_weight.sum().to(loss.dtype)
        return torch.where(divisor != 0, loss / torch.where(divisor != 0, divisor, 1), torch.zeros_like(loss))
    count = values.numel()
    return loss / count if count else torch.zeros_like(loss)


def reduce_weighted_values(
    values: torch.Tensor,
    sample_weight: Any = None,
    mask: torch.Tensor | None = None,
    reduction: str | None = "sum_over_batch_size",
) -> torch.Tensor:
    """Applies ``sample_weight`` and ``mask`` to per-sample ``values``, then reduces.

    Args:
        values: per-sample (or per-element) losses.
        sample_weight: optional weights; a tensor, array or number that broadcasts
            against ``values`` after the alignment Keras applies.
        mask: optional boolean tensor; masked-out entries do not count.
        reduction: one of :data:`REDUCTIONS`.

    Returns:
        A 0-d tensor, or the weighted ``values`` when ``reduction`` is ``None``/``'none'``.
    """
    reduction = standardize_reduction(reduction)
    if sample_weight is not None:
        sample_weight = torch.as_tensor(sample_weight, device=values.device).to(values.dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = _align_sample_weight(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


def label_smoothing_argument(label_smoothing: float, owner: str | None = None) -> float:
    """``label_smoothing`` as a float after Keras' check that it lies in ``[0, 1]``.

    Example:
        >>> label_smoothing_argument(0.1)
        0.1
    """
    if not 0.0 <= label_smoothing <= 1.0:
        prefix = f"{owner}: " if owner else ""
        raise ValueError(f"{prefix}`label_smoothing` must be in [0, 1]; received label_smoothing={label_smoothing!r}.")
    return float(label_smoothing)


def number_argument(owner: str, name: str, value: Any, non_negative: bool = False) -> float:
    """``value`` as a float after checking it is a real number (and ``>= 0`` with ``non_negative``).

    Example:
        >>> number_argument("BinaryFocalCrossentropy", "gamma", 2, non_negative=True)
        2.0
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (non_negative and not value >= 0):
        bound = " >= 0" if non_negative else ""
        raise ValueError(f"{owner}: `{name}` must be a number{bound}; received {name}={value!r}.")
    return float(value)


class Loss:
    """Base class of every fitorch loss: weighting and reduction on top of ``call``.

    Subclass it to write a custom loss: implement ``call(y_true, y_pred)`` returning a
    tensor of per-sample values, and optionally ``compute_mask`` to exclude entries.

    Args:
        name: the loss's name; defaults to the class name in snake_case.
        reduction: how per-sample values become one number. ``'sum_over_batch_size'``
            (the default) and ``'mean'`` divide the weighted sum by the number of
            elements; ``'sum'`` sums; ``'mean_with_sample_weight'`` divides by the sum
            of the sample weights; ``None``/``'none'`` returns the weighted values.

    Call arguments:
        y_true: targets (tensor, NumPy array or nested lists).
        y_pred: predictions. Half-precision predictions are computed in float32,
            as Keras' float32 loss dtype does under mixed precision; float64 stays
            float64.
        sample_weight: optional per-sample (or per-element) weights.

    Example:
        >>> import torch
        >>> from fitorch.losses import MeanAbsoluteError
        >>> loss = MeanAbsoluteError(reduction=None)
        >>> loss(torch.zeros(2, 3), torch.ones(2, 3)).tolist()
        [1.0, 1.0]
    """

    def __init__(self, name: str | None = None, reduction: str | None = "sum_over_batch_size") -> None:
        self.name = name or to_snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> torch.Tensor:
        if (
            sample_weight is None
            and self.reduction in _MEAN_REDUCTIONS
            and isinstance(y_pred, torch.Tensor)
            and isinstance(y_true, torch.Tensor)
            and y_pred.dtype in _FULL_PRECISION
            and getattr(y_pred, "_keras_mask", None) is None
        ):
            fused = self.fused_mean(y_true, y_pred)
            if fused is not None:
                return fused
        y_pred = torch.as_tensor(y_pred)
        mask = self.compute_mask(y_true, y_pred)
        if y_pred.dtype in _LOW_PRECISION:
            y_pred = y_pred.float()
        elif not y_pred.is_floating_point():
            y_pred = y_pred.to(config.floatx_dtype())
        y_true = torch.as_tensor(y_true, device=y_pred.device)
        values = self.call(y_true, y_pred)
        # A loss may mark which of its own values count (Circle: only the positive ones), as Keras does.
        values_mask = getattr(values, "_keras_mask", None)
        if values_mask is not None:
            mask = values_mask if mask is None else mask & values_mask
        return reduce_weighted_values(values, sample_weight, mask, self.reduction)

    def fused_mean(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor | None:
        """The unweighted, unmasked mean loss in one fused torch op, or ``None`` when there is none.

        The training hot path calls this first: a subclass returns, e.g.,
        ``F.cross_entropy(y_pred, y_true)`` when that equals Keras' mean of ``call``
        for these inputs, and ``None`` to take the general path.
        """
        return None

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        """Returns the per-sample loss values; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `call(y_true, y_pred)`.")

    def compute_mask(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor | None:
        """Returns a boolean mask of the entries that count, or ``None`` for all of them.

        By default it is the Keras mask the model attached to ``y_pred`` (e.g. from
        ``Embedding(mask_zero=True)``), so padded steps do not count.
        """
        return getattr(y_pred, "_keras_mask", None)

    #: The attributes, beside ``name`` and ``reduction``, that ``get_config`` returns (constructor arguments).
    _config_keys: tuple[str, ...] = ()

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as plain JSON data."""
        config = {"name": self.name, "reduction": self.reduction}
        config.update((key, getattr(self, key)) for key in self._config_keys)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        """Creates a loss from the output of :meth:`get_config`."""
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class BaseCrossentropy(Loss):
    """Shared parent of the (focal) binary and categorical cross-entropy losses.

    Checks and keeps their common options, and calls ``_fn``, the subclass's per-sample
    function, with every option named in ``_config_keys`` as a keyword argument.
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")
    _fn: Callable[..., torch.Tensor]

    def __init__(
        self, from_logits: bool, label_smoothing: float, axis: int, reduction: str | None, name: str | None
    ) -> None:
        super().__init__(name=name, reduction=reduction)
        self.label_smoothing = label_smoothing_argument(label_smoothing, type(self).__name__)
        self.from_logits = bool(from_logits)
        self.axis = axis

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return self._fn(y_true, y_pred, **{key: getattr(self, key) for key in self._config_keys})
