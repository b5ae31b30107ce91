"""``GaussianDropout``: multiplies by 1-centred Gaussian noise while training."""

from __future__ import annotations

import math
from typing import Any

import torch

from fitorch.layers.regularization.base_noise import BaseNoise, noise_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**noise_docs("apply the noise"))
class GaussianDropout(BaseNoise):
    """Multiplies the inputs by Gaussian noise of mean 1 and stddev ``sqrt(rate / (1 - rate))``.

    A continuous alternative to ``Dropout`` with the same ``rate`` (and the same
    variance of the multiplicative noise), which keeps every unit's expected
    value. At inference the layer is the identity.

    Args:
        rate: float in ``[0, 1)``, the drop probability it mimics.
        seed: optional int; when given, the noise repeats exactly from run to run.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.regularization import GaussianDropout
        >>> y = GaussianDropout(0.5, seed=0)(torch.ones(1000, 100), training=True)
        >>> round(y.mean().item(), 1), round(y.std().item(), 1)  # stddev sqrt(0.5 / 0.5) = 1
        (1.0, 1.0)
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        self.rate = self._check_rate(rate, "the drop probability the noise mimics")

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not self._is_training(training) or self.rate == 0.0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        return inputs * self._normal(inputs, 1.0, stddev)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
