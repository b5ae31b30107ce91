"""``AlphaDropout``: dropout that keeps the mean and variance of SELU activations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.regularization.base_noise import BaseNoise

# SELU's constants: a dropped unit is set to SELU's negative saturation value -alpha * scale.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(BaseNoise):
    """Dropout for self-normalising networks: keeps the inputs' mean and variance.

    Use it instead of ``Dropout`` in networks of ``selu`` units with
    ``lecun_normal`` initialisation. While training, each unit is set with
    probability ``rate`` to SELU's saturation value ``alpha' = -alpha * scale``,
    then the result is transformed by ``a * x + b`` with
    ``a = ((1 - rate) * (1 + rate * alpha'^2)) ** -0.5`` and
    ``b = -a * alpha' * rate``, so zero-mean, unit-variance inputs keep that mean
    and variance. At inference the layer is the identity.

    Args:
        rate: float in ``[0, 1)``, the fraction of units to drop.
        noise_shape: optional shape of the mask, broadcast against the input (one
            entry per axis, batch included; ``None`` entries take the input's size).
        seed: optional int; when given, masks repeat exactly from run to run.

    Call arguments:
        inputs: a tensor of any rank.
        training: ``True`` to drop units, ``False`` for the identity; ``None``
            (default) follows ``self.training``.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
        >>> import torch
        >>> from fitorch.layers.regularization import AlphaDropout
        >>> x = torch.randn(2000, 500, generator=torch.Generator().manual_seed(0))
        >>> y = AlphaDropout(0.2, seed=0)(x, training=True)
        >>> bool(y.mean().abs() < 0.01), bool((y.std() - 1).abs() < 0.01)  # still mean 0, variance 1
        (True, True)
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
        if noise_shape is not None:
            if isinstance(noise_shape, (str, bytes)) or not isinstance(noise_shape, Sequence):
                raise ValueError(
                    f"AlphaDropout {self.name!r}: noise_shape must be a tuple of positive ints or None; "
                    f"received noise_shape={noise_shape!r}."
                )
            noise_shape = tuple(noise_shape)
            if not all(d is None or (type(d) is int and d > 0) for d in noise_shape):
                raise ValueError(
                    f"AlphaDropout {self.name!r}: noise_shape must hold positive ints or None; "
                    f"received noise_shape={noise_shape!r}."
                )
        self.noise_shape = noise_shape

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        if self.noise_shape is not None:
            self._check_noise_shape(input_shape)

    def _check_noise_shape(self, input_shape: tuple[int | None, ...]) -> None:
        fits = len(self.noise_shape) == len(input_shape) and all(
            noise in (None, 1) or size is None or noise == size
            for noise, size in zip(self.noise_shape, input_shape, strict=False)
        )
        if not fits:
            raise ValueError(
                f"AlphaDropout {self.name!r}: noise_shape={self.noise_shape} does not broadcast to the input "
                f"shape {tuple(input_shape)}: it needs one entry per input axis, each None, 1 or the input's "
                "size."
            )

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not self._is_training(training) or self.rate == 0.0:
            return inputs
        noise_shape = self.noise_shape or (None,) * inputs.ndim
        shape = tuple(size if noise is None else noise for noise, size in zip(noise_shape, inputs.shape, strict=True))
        kept = self._keep_mask(inputs, shape, 1.0 - self.rate).bool()
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        # Kept units: a * x + b; dropped units: a * alpha' + b.
        return torch.where(kept, inputs * a + b, a * alpha_p + b)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
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
