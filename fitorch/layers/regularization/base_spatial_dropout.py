"""``BaseSpatialDropout``: the shared parent of ``SpatialDropout1D``/``2D``/``3D``."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.input_spec import InputSpec
from fitorch.layers.regularization.base_noise import BaseNoise


class BaseSpatialDropout(BaseNoise):
    """Drops whole feature maps (channels) with probability ``rate`` while training.

    A dropped channel is zero at every position of a sample; kept channels are
    scaled by ``1 / (1 - rate)``, as in ``Dropout``. Subclasses set ``rank``, the
    number of spatial axes, and ``data_format``.

    Args:
        rate: float in ``[0, 1)``, the fraction of channels to drop.
        seed: optional int for repeatable masks.
    """

    rank = 1
    data_format = "channels_last"

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        self.rate = self._check_rate(rate, "the fraction of channels to drop")
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _noise_shape(self, shape: torch.Size) -> tuple[int, ...]:
        """``(batch, 1, ..., 1, channels)`` (or channels first): one draw per sample and channel."""
        ones = (1,) * self.rank
        if self.data_format == "channels_first":
            return (shape[0], shape[1], *ones)
        return (shape[0], *ones, shape[-1])

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not self._is_training(training) or self.rate == 0.0:
            return inputs
        if inputs.ndim != self.rank + 2:
            raise ValueError(
                f"Input 0 of layer {self.name!r} ({type(self).__name__}) is incompatible: expected "
                f"ndim={self.rank + 2}, received shape {tuple(inputs.shape)}."
            )
        keep = 1.0 - self.rate
        mask = self._keep_mask(inputs, self._noise_shape(inputs.shape), keep)
        return inputs * mask.div_(keep)  # broadcasts over the spatial axes

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
