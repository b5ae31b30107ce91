"""``Dropout``: zeroes a random fraction of the inputs while training."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from fitorch.layers.regularization.base_dropout import BaseDropout
from fitorch.layers.regularization.base_noise import noise_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**noise_docs("drop units"))
class Dropout(BaseDropout):
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

    {sections}

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

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        training = self.training if training is None else training
        if not training or self.rate == 0.0:
            return inputs
        if self.noise_shape is None and self.seed is None:
            return F.dropout(inputs, self.rate, training=True)
        keep = 1.0 - self.rate
        # A mask of 0 and 1 / keep in noise_shape, which broadcasts against the inputs.
        return inputs * self._keep_mask(inputs, self._mask_shape(inputs), keep).div_(keep)
