"""``SpatialDropout2D``: drops whole channels of 2D feature maps while training."""

from __future__ import annotations

from fitorch.layers.regularization.base_spatial_dropout import BaseSpatialDropout, spatial_dropout_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**spatial_dropout_docs(2))
class SpatialDropout2D(BaseSpatialDropout):
    """Spatial 2D dropout: zeroes entire channels (2D feature maps) with probability ``rate``.

    {use}

    {sections}

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
