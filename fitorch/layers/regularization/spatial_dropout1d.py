"""``SpatialDropout1D``: drops whole channels of a sequence while training."""

from __future__ import annotations

from fitorch.layers.regularization.base_spatial_dropout import BaseSpatialDropout


class SpatialDropout1D(BaseSpatialDropout):
    """Spatial 1D dropout: zeroes entire channels (1D feature maps) with probability ``rate``.

    Use it after ``Conv1D`` layers: neighbouring time steps are strongly
    correlated, so ordinary ``Dropout`` barely regularises them, while dropping a
    channel at every step does. Kept channels are scaled by ``1 / (1 - rate)``;
    at inference the layer is the identity.

    Args:
        rate: float in ``[0, 1)``, the fraction of channels to drop.
        seed: optional int; when given, masks repeat exactly from run to run.

    Call arguments:
        inputs: a 3D tensor.
        training: ``True`` to drop channels, ``False`` for the identity; ``None``
            (default) follows ``self.training``.

    Input shape:
        ``(batch, timesteps, channels)``.

    Output shape:
        Same as the input.

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
