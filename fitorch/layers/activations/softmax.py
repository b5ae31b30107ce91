"""``Softmax``: the softmax over one or several axes, with Keras' masking."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.activations.base_activation import SAME_SHAPE, BaseActivation
from fitorch.utils.docstrings import fill_doc


def _large_negative(dtype: torch.dtype) -> float:
    """Keras' stand-in for minus infinity: representable in float16, and no nan when a row is all masked."""
    return -3e4 if dtype == torch.float16 else -1e9


@fill_doc(same_shape=SAME_SHAPE)
class Softmax(BaseActivation):
    """Softmax activation: ``exp(x) / sum(exp(x))`` over ``axis``.

    Use it for the probabilities at the end of a classifier, or for attention
    weights with a mask. Masked positions (``mask`` false, or ``<= 0.5`` for a
    float mask) get a large negative logit before the softmax and a probability of
    exactly 0 after it, as in Keras: a fully masked row gives all zeros.

    Args:
        axis: int or list of ints, the axis (or axes, normalised jointly) of the
            softmax (default ``-1``).

    Call arguments:
        inputs: the logits.
        mask: optional boolean (or 0/1 float) tensor that broadcasts to ``inputs``
            (each of its axes is 1 or the input's size; it has no more axes than the
            input). ``True`` keeps a position.

    {same_shape}

    Example:
        >>> import torch
        >>> from fitorch.layers.activations import Softmax
        >>> Softmax()(torch.tensor([[1.0, 2.0, 1.0]]))
        tensor([[0.2119, 0.5761, 0.2119]])
        >>> Softmax()(torch.tensor([[1.0, 2.0, 1.0]]), mask=torch.tensor([[True, False, True]]))
        tensor([[0.5000, 0.0000, 0.5000]])
    """

    def __init__(self, axis: int | Sequence[int] = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            if not axis or not all(isinstance(a, int) and not isinstance(a, bool) for a in axis):
                raise ValueError(
                    f"Softmax {self.name!r}: axis must be an int or a non-empty list of ints; received axis={axis!r}."
                )
            axis = list(axis)
        elif not isinstance(axis, int) or isinstance(axis, bool):
            raise ValueError(
                f"Softmax {self.name!r}: axis must be an int or a non-empty list of ints; received axis={axis!r}."
            )
        self.axis = axis

    def call(self, inputs: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        if mask is not None:
            self._check_mask(inputs, mask)
            if mask.dtype != torch.bool:
                mask = mask > 0.5
            inputs = torch.where(mask, inputs, _large_negative(inputs.dtype))
        if isinstance(self.axis, list) and len(self.axis) > 1:
            outputs = torch.exp(inputs - torch.logsumexp(inputs, dim=self.axis, keepdim=True))
        else:
            axis = self.axis[0] if isinstance(self.axis, list) else self.axis
            outputs = torch.softmax(inputs, dim=axis)
        if mask is not None:
            outputs = torch.where(mask, outputs, 0.0)
        return outputs

    def _check_mask(self, inputs: torch.Tensor, mask: torch.Tensor) -> None:
        fits = mask.ndim <= inputs.ndim and all(
            m == 1 or m == i for m, i in zip(reversed(mask.shape), reversed(inputs.shape), strict=False)
        )
        if not fits:
            raise ValueError(
                f"Softmax {self.name!r}: the mask must broadcast to the inputs (each mask axis 1 or the input's "
                f"size, and no more axes than the input); received inputs of shape {tuple(inputs.shape)} and a mask "
                f"of shape {tuple(mask.shape)}."
            )

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}
