"""``LeakyReLU``: the leaky rectified linear unit, Keras' default slope 0.3."""

from __future__ import annotations

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.activations.base_activation import CALL_ARGUMENTS, SAME_SHAPE, BaseActivation
from fitorch.utils.docstrings import fill_doc


@fill_doc(call_arguments=CALL_ARGUMENTS, same_shape=SAME_SHAPE)
class LeakyReLU(BaseActivation):
    """Leaky ReLU: ``x`` for ``x >= 0`` and ``negative_slope * x`` otherwise.

    The layer's default slope is Keras 3's ``0.3``, while the ``'leaky_relu'``
    activation function defaults to ``0.2`` (as in Keras); torch's
    ``nn.LeakyReLU`` defaults to ``0.01``.

    Args:
        negative_slope: float >= 0, the slope for negative inputs (default ``0.3``).
            Keras' deprecated name ``alpha`` is accepted, with a warning.

    {call_arguments}

    {same_shape}

    Example:
        >>> import torch
        >>> from fitorch.layers.activations import LeakyReLU
        >>> LeakyReLU(negative_slope=0.5)(torch.tensor([-10.0, -5.0, 0.0, 5.0]))
        tensor([-5.0000, -2.5000,  0.0000,  5.0000])
        >>> LeakyReLU().negative_slope
        0.3
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any) -> None:
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("LeakyReLU: argument `alpha` is deprecated; use `negative_slope`.", stacklevel=2)
        super().__init__(**kwargs)
        self.negative_slope = self._float_argument("negative_slope", negative_slope, non_negative=True)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return F.leaky_relu(inputs, self.negative_slope)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "negative_slope": self.negative_slope}
