"""``UpSampling3D``: enlarges volumes by repeating positions."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_up_sampling import BaseUpSampling, up_sampling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**up_sampling_docs(3))
class UpSampling3D(BaseUpSampling):
    """Upsamples volumes by repeating each position ``size`` times along depth, height and width.

    Use it in 3-D decoders and U-Nets to undo a ``MaxPooling3D`` without weights
    (``Conv3DTranspose`` is the learned alternative).

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import UpSampling3D
        >>> UpSampling3D((1, 2, 3))(torch.ones(2, 4, 4, 4, 3)).shape
        torch.Size([2, 4, 8, 12, 3])
    """

    rank = 3

    def __init__(
        self, size: int | tuple[int, int, int] = (2, 2, 2), data_format: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(size, data_format=data_format, **kwargs)
