"""``SpatialDropout1D``: drops whole channels of a sequence while training."""

from __future__ import annotations

from typing import Any

from fitorch.layers.regularization.base_spatial_dropout import BaseSpatialDropout, spatial_dropout_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**spatial_dropout_docs(1))
class SpatialDropout1D(BaseSpatialDropout):
    """Spatial 1D dropout: zeroes entire channels (1D feature maps) with probability ``rate``.

    {use}

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.regularization import SpatialDropout1D
        >>> y = SpatialDropout1D(0.5, seed=0)(torch.ones(2, 4, 3), training=True)
        >>> bool((y == y[:, :1, :]).all())  # the same channels are dropped at every step
        True
        >>> sorted(set(y.flatten().tolist()))
        [0.0, 2.0]
    """

    rank = 1
    takes_data_format = False

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(rate, seed=seed, **kwargs)
