"""``Dropout``: zeroes a random fraction of the inputs while training."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.layer import Layer


class Dropout(Layer):
    """Sets each input unit to 0 with probability ``rate`` during training.

    Use it to regularise large layers. The units that are kept are scaled by
    ``1 / (1 - rate)`` so the expected sum is unchanged; at inference the layer is
    the identity. Like Keras, it has no weights, so ``trainable`` does not change
    what it does: only the training flag does.

    Args:
        rate: float in ``[0, 1)``, the fraction of units to drop.
        noise_shape: optional shape of the binary mask, broadcast against the input
            (one entry per input axis, batch included); ``None`` entries take the
            input's size. For inputs ``(batch, timesteps, features)``,
            ``noise_shape=(None, 1, None)`` drops the same features at every step.
        seed: optional int. When given, the masks come from a generator of this
            layer seeded with it, so runs repeat exactly; when ``None`` the layer
            uses torch's fused ``F.dropout`` and the global random state.

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
        >>> from fitorch.layers.regularization import Dropout
        >>> layer = Dropout(0.5, seed=1)
        >>> x = torch.ones(2, 1000)
        >>> torch.equal(layer(x, training=False), x)
        True
        >>> sorted(set(layer(x, training=True).flatten().tolist()))
        [0.0, 2.0]
    """

    supports_masking = True

    def __init__(
        self,
        rate: float,
        noise_shape: Sequence[int | None] | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not isinstance(rate, Real) or isinstance(rate, bool) or not 0.0 <= rate < 1.0:
            raise ValueError(
                f"Dropout {self.name!r}: rate must be a float in [0, 1), the fraction of units to drop; "
                f"received rate={rate!r}."
            )
        if noise_shape is not None:
            if isinstance(noise_shape, (str, bytes)) or not isinstance(noise_shape, Sequence):
                raise ValueError(
                    f"Dropout {self.name!r}: noise_shape must be a tuple of positive ints or None; "
                    f"received noise_shape={noise_shape!r}."
                )
            noise_shape = tuple(noise_shape)
            if not all(d is None or (type(d) is int and d > 0) for d in noise_shape):
                raise ValueError(
                    f"Dropout {self.name!r}: noise_shape must hold positive ints or None; "
                    f"received noise_shape={noise_shape!r}."
                )
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise TypeError(f"Dropout {self.name!r}: seed must be an int or None; received seed={seed!r}.")
        self.rate = float(rate)
        self.noise_shape = noise_shape
        self.seed = seed
        self._generators: dict[torch.device, torch.Generator] = {}

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
                f"Dropout {self.name!r}: noise_shape={self.noise_shape} does not broadcast to the input "
                f"shape {tuple(input_shape)}: it needs one entry per input axis, each None, 1 or the input's "
                "size."
            )

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        training = self.training if training is None else training
        if not training or self.rate == 0.0:
            return inputs
        if self.noise_shape is None and self.seed is None:
            return F.dropout(inputs, self.rate, training=True)
        return inputs * self._scaled_mask(inputs)

    def _scaled_mask(self, inputs: torch.Tensor) -> torch.Tensor:
        """A mask of 0 and ``1 / keep`` in ``noise_shape``, which broadcasts against ``inputs``."""
        keep = 1.0 - self.rate
        noise_shape = self.noise_shape or (None,) * inputs.ndim
        shape = [
            size if noise is None else noise for noise, size in zip(noise_shape, inputs.shape, strict=True)
        ]
        mask = torch.empty(shape, dtype=inputs.dtype, device=inputs.device)
        mask.bernoulli_(keep, generator=self._generator(inputs.device))
        return mask.div_(keep)

    def _generator(self, device: torch.device) -> torch.Generator | None:
        if self.seed is None or device.type == "meta":
            return None
        if device not in self._generators:
            generator = torch.Generator(device=device)
            generator.manual_seed(self.seed)
            self._generators[device] = generator
        return self._generators[device]

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
