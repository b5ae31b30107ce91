"""``SpatialDropout3D``: drops whole channels of 3D feature maps while training."""

from __future__ import annotations

from fitorch.layers.regularization.base_spatial_dropout import BaseSpatialDropout, spatial_dropout_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**spatial_dropout_docs(3))
class SpatialDropout3D(BaseSpatialDropout):
    """Spatial 3D dropout: zeroes entire channels (3D feature maps) with probability ``rate``.

    {use}

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.regularization import SpatialDropout3D
        >>> y = SpatialDropout3D(0.5, seed=0)(torch.ones(2, 3, 3, 3, 4), training=True)
        >>> bool((y == y[:, :1, :1, :1, :]).all())  # a channel is kept or dropped everywhere
        True
        >>> sorted(set(y.flatten().tolist()))
        [0.0, 2.0]
    """

    rank = 3
