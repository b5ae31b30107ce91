"""``GaussianNoise``: adds zero-centred Gaussian noise while training."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.regularization.base_noise import BaseNoise, check_non_negative, noise_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**noise_docs("add noise"))
class GaussianNoise(BaseNoise):
    """Adds zero-centred Gaussian noise of standard deviation ``stddev`` while training.

    Use it against overfitting on real-valued inputs, as a simple random data
    augmentation. At inference the layer is the identity.

    Keras 3 rejects ``stddev > 1``; fitorch accepts any finite ``stddev >= 0``
    (every Keras config is still valid here).

    Args:
        stddev: float >= 0, the standard deviation of the noise.
        seed: optional int; when given, the noise repeats exactly from run to run.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.regularization import GaussianNoise
        >>> x = torch.zeros(1000, 100)
        >>> noisy = GaussianNoise(0.1, seed=0)(x, training=True)
        >>> round(noisy.std().item(), 2), GaussianNoise(0.1)(x, training=False).abs().max().item()
        (0.1, 0.0)
    """

    def __init__(self, stddev: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        self.stddev = check_non_negative(self, "stddev", stddev)

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not self._is_training(training) or self.stddev == 0.0:
            return inputs
        return inputs + self._normal(inputs, 0.0, self.stddev)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
