"""``AlphaDropout``: dropout that keeps the mean and variance of SELU activations."""

from __future__ import annotations

import torch

from fitorch.layers.regularization.base_dropout import BaseDropout
from fitorch.layers.regularization.base_noise import noise_docs
from fitorch.utils.docstrings import fill_doc

# SELU's constants: a dropped unit is set to SELU's negative saturation value -alpha * scale.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@fill_doc(**noise_docs("drop units"))
class AlphaDropout(BaseDropout):
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

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.regularization import AlphaDropout
        >>> x = torch.randn(2000, 500, generator=torch.Generator().manual_seed(0))
        >>> y = AlphaDropout(0.2, seed=0)(x, training=True)
        >>> bool(y.mean().abs() < 0.01), bool((y.std() - 1).abs() < 0.01)  # still mean 0, variance 1
        (True, True)
    """

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not self._is_training(training) or self.rate == 0.0:
            return inputs
        kept = self._keep_mask(inputs, self._mask_shape(inputs), 1.0 - self.rate).bool()
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        # Kept units: a * x + b; dropped units: a * alpha' + b.
        return torch.where(kept, inputs * a + b, a * alpha_p + b)
