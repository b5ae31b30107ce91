"""``ELU``: the exponential linear unit."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.layer import Layer


class ELU(Layer):
    """Exponential linear unit: ``x`` for ``x >= 0`` and ``alpha * (exp(x) - 1)`` otherwise.

    Args:
        alpha: float, the scale of the negative part (default ``1.0``).

    Call arguments:
        inputs: a tensor.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
        >>> import torch
        >>> from fitorch.layers.activations import ELU
        >>> ELU(alpha=2.0)(torch.tensor([-100.0, 0.0, 3.0]))
        tensor([-2.,  0.,  3.])
    """

    supports_masking = True

    def __init__(self, alpha: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(alpha, Real) or isinstance(alpha, bool):
            raise ValueError(f"ELU {self.name!r}: alpha must be a float; received alpha={alpha!r}.")
        self.alpha = float(alpha)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return F.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        # Keras 3's ELU leaves alpha out of its config (so it is lost on reload); fitorch keeps it.
        return {**super().get_config(), "alpha": self.alpha}
