"""``UpSampling2D``: enlarges images by integer factors (nearest, bilinear or bicubic)."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_up_sampling import INTERPOLATIONS, BaseUpSampling, up_sampling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**up_sampling_docs(2))
class UpSampling2D(BaseUpSampling):
    """Upsamples images by ``size`` along height and width.

    Use it in decoders, U-Nets and generators to undo a ``MaxPooling2D`` without
    weights (``Conv2DTranspose`` is the learned alternative). ``'nearest'`` repeats
    each pixel; ``'bilinear'`` and ``'bicubic'`` interpolate with half-pixel centres
    (``align_corners=False``), as Keras and ``tf.image.resize`` do.

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import UpSampling2D
        >>> UpSampling2D(2)(torch.tensor([[[[1.0], [2.0]]]]))[0, :, :, 0].tolist()
        [[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0]]
        >>> UpSampling2D((2, 3))(torch.ones(2, 4, 5, 3)).shape
        torch.Size([2, 8, 15, 3])
        >>> UpSampling2D(2, interpolation="bilinear")(torch.tensor([[[[1.0], [2.0]]]]))[0, 0, :, 0].tolist()
        [1.0, 1.25, 1.75, 2.0]
    """

    rank = 2
    allowed_interpolations = INTERPOLATIONS

    def __init__(
        self,
        size: int | tuple[int, int] = (2, 2),
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ) -> None:
        super().__init__(size, data_format=data_format, interpolation=interpolation, **kwargs)
