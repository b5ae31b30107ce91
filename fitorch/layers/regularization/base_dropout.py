"""``BaseDropout``: the shared parent of ``Dropout`` and ``AlphaDropout``: ``rate`` and ``noise_shape``.

Both drop each unit with probability ``rate``; ``noise_shape`` (Keras' argument)
shapes the random mask, which broadcasts against the input, so one draw can cover
several positions (``(None, 1, None)`` drops the same features at every step).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.regularization.base_noise import BaseNoise

Shape = tuple[int | None, ...]


class BaseDropout(BaseNoise):
    """Abstract dropout: validates ``rate`` and ``noise_shape`` and gives the mask's shape.

    Args:
        rate: float in ``[0, 1)``, the fraction of units to drop.
        noise_shape: optional shape of the mask, broadcast against the input (one
            entry per axis, batch included; ``None`` entries take the input's size).
        seed: optional int for repeatable masks (see ``BaseNoise``).
    """

    def __init__(
        self,
        rate: float,
        noise_shape: Sequence[int | None] | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, **kwargs)
        self.rate = self._check_rate(rate)
        owner = f"{type(self).__name__} {self.name!r}"
        if noise_shape is not None:
            if isinstance(noise_shape, (str, bytes)) or not isinstance(noise_shape, Sequence):
                raise ValueError(
                    f"{owner}: noise_shape must be a tuple of positive ints or None; "
                    f"received noise_shape={noise_shape!r}."
                )
            noise_shape = tuple(noise_shape)
            if not all(d is None or (type(d) is int and d > 0) for d in noise_shape):
                raise ValueError(
                    f"{owner}: noise_shape must hold positive ints or None; received noise_shape={noise_shape!r}."
                )
        self.noise_shape = noise_shape

    def build(self, input_shape: Shape) -> None:
        if self.noise_shape is not None:
            self._check_noise_shape(input_shape)

    def _check_noise_shape(self, input_shape: Shape) -> None:
        fits = len(self.noise_shape) == len(input_shape) and all(
            noise in (None, 1) or size is None or noise == size
            for noise, size in zip(self.noise_shape, input_shape, strict=False)
        )
        if not fits:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: noise_shape={self.noise_shape} does not broadcast to the "
                f"input shape {tuple(input_shape)}: it needs one entry per input axis, each None, 1 or the "
                "input's size."
            )

    def _mask_shape(self, inputs: torch.Tensor) -> tuple[int, ...]:
        """``noise_shape`` with its ``None`` entries taken from ``inputs``."""
        noise_shape = self.noise_shape or (None,) * inputs.ndim
        return tuple(size if noise is None else noise for noise, size in zip(noise_shape, inputs.shape, strict=True))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        if self.noise_shape is not None:
            self._check_noise_shape(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "rate": self.rate,
            "noise_shape": list(self.noise_shape) if self.noise_shape is not None else None,
            "seed": self.seed,
        }
