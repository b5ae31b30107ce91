"""``LossFunctionWrapper``: any ``fn(y_true, y_pred)`` as a :class:`Loss`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from fitorch.losses.loss import Loss, squeeze_or_expand_to_same_rank
from fitorch.utils.naming import to_snake_case


class LossFunctionWrapper(Loss):
    """Turns a plain function into a loss with sample weights and reductions.

    Use it for a loss written as a function. ``fn`` gets ``y_true`` and ``y_pred`` as
    tensors (``y_true`` with a trailing size-1 axis squeezed or expanded to match
    ``y_pred``'s rank, as Keras does) and returns per-sample values, or a scalar.
    ``fitorch.losses.get`` wraps callables this way.

    Args:
        fn: the function, ``fn(y_true, y_pred, **kwargs) -> Tensor``.
        name: the loss's name; defaults to ``fn.__name__`` when it has one.
        reduction: see :class:`Loss`.
        **kwargs: extra keyword arguments passed to ``fn`` on every call.

    Example:
        >>> import torch
        >>> def max_error(y_true, y_pred):
        ...     return (y_true - y_pred).abs().amax(dim=-1)
        >>> loss = LossFunctionWrapper(max_error)
        >>> loss.name, round(float(loss(torch.zeros(2, 2), torch.tensor([[1.0, 3.0], [2.0, 0.0]]))), 4)
        ('max_error', 2.5)
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        name: str | None = None,
        reduction: str | None = "sum_over_batch_size",
        **kwargs: Any,
    ) -> None:
        if not callable(fn):
            raise TypeError(
                f"LossFunctionWrapper expects a callable `fn`; received {fn!r} of type {type(fn).__name__}."
            )
        fn_name = getattr(fn, "__name__", None)
        default_name = fn_name if fn_name and fn_name != "<lambda>" else to_snake_case(type(self).__name__)
        super().__init__(name=name or default_name, reduction=reduction)
        self.fn = fn
        self.fn_kwargs = kwargs

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return torch.as_tensor(self.fn(y_true, y_pred, **self.fn_kwargs))

    def get_config(self) -> dict[str, Any]:
        """Returns the config; ``fn`` is stored by name (resolved through the loss registry)."""
        return {**super().get_config(), "fn": getattr(self.fn, "__name__", repr(self.fn)), **self.fn_kwargs}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LossFunctionWrapper:
        """Creates the wrapper; a string ``fn`` is looked up among the loss functions."""
        from fitorch.losses.registry import LOSS_FUNCTIONS

        return cls(**LOSS_FUNCTIONS.resolve(config, "fn"))
