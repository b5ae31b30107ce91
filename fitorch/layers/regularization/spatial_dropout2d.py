"""``SpatialDropout2D``: drops whole channels of 2D feature maps while training."""

from __future__ import annotations

from typing import Any

from fitorch import config
from fitorch.layers.regularization.base_spatial_dropout import BaseSpatialDropout


class SpatialDropout2D(BaseSpatialDropout):
    """Spatial 2D dropout: zeroes entire channels (2D feature maps) with probability ``rate``.

    Use it after ``Conv2D`` layers: neighbouring pixels are strongly correlated, so
    ordinary ``Dropout`` barely regularises them, while dropping a whole feature
    map does. Kept channels are scaled by ``1 / (1 - rate)``; at inference the
    layer is the identity.

    Args:
        rate: float in ``[0, 1)``, the fraction of channels to drop.
        data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` (default)
            takes ``fitorch.config.image_data_format()``.
        seed: optional int; when given, masks repeat exactly from run to run.

    Call arguments:
        inputs: a 4D tensor.
        training: ``True`` to drop channels, ``False`` for the identity; ``None``
            (default) follows ``self.training``.

    Input shape:
        ``(batch, rows, cols, channels)`` (channels_last) or ``(batch, channels, rows, cols)``
        (channels_first).

    Output shape:
        Same as the input.

    Example:
        >>> import torch
        >>> from fitorch.layers.regularization import SpatialDropout2D
        >>> y = SpatialDropout2D(0.5, seed=0)(torch.ones(2, 5, 5, 3), training=True)
        >>> bool((y == y[:, :1, :1, :]).all())  # a channel is kept or dropped everywhere
        True
        >>> sorted(set(y.flatten().tolist()))
        [0.0, 2.0]
    """

    rank = 2

    def __init__(self, rate: float, data_format: str | None = None, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = config.standardize_data_format(data_format)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}
