"""``ELU``: the exponential linear unit."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.activations.base_activation import CALL_ARGUMENTS, SAME_SHAPE, BaseActivation
from fitorch.utils.docstrings import fill_doc


@fill_doc(call_arguments=CALL_ARGUMENTS, same_shape=SAME_SHAPE)
class ELU(BaseActivation):
    """Exponential linear unit: ``x`` for ``x >= 0`` and ``alpha * (exp(x) - 1)`` otherwise.

    Args:
        alpha: float, the scale of the negative part (default ``1.0``).

    {call_arguments}

    {same_shape}

    Example:
        >>> import torch
        >>> from fitorch.layers.activations import ELU
        >>> ELU(alpha=2.0)(torch.tensor([-100.0, 0.0, 3.0]))
        tensor([-2.,  0.,  3.])
    """

    def __init__(self, alpha: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.alpha = self._float_argument("alpha", alpha)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return F.elu(inputs, alpha=self.alpha)

    def get_config(self) -> dict[str, Any]:
        # Keras 3's ELU leaves alpha out of its config (so it is lost on reload); fitorch keeps it.
        return {**super().get_config(), "alpha": self.alpha}
