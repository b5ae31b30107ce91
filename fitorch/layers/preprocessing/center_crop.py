"""``CenterCrop``: crops the centre of images to a fixed height and width."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.layers.layer import Layer
from fitorch.layers.preprocessing.image_utils import (
    IMAGE_SECTIONS,
    Shape,
    check_image_rank,
    image_axes,
    resized_shape,
)
from fitorch.layers.preprocessing.resizing import resize_images
from fitorch.utils.docstrings import fill_doc


@fill_doc(**IMAGE_SECTIONS)
class CenterCrop(Layer):
    """Crops the central ``(height, width)`` window of images.

    When an image is smaller than the target on either side, it is instead
    cropped to the target's aspect ratio and resized (bilinear) to
    ``(height, width)``, as Keras does (its ``smart_resize``). As in Keras, integer
    images give float outputs (``fitorch.config.floatx()``); floating images keep
    their dtype unless the layer is given a ``dtype``.

    Args:
        height: int, the output height.
        width: int, the output width.
        {data_format_arg}

    {resize_call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import CenterCrop
        >>> image = torch.arange(25.0).reshape(1, 5, 5, 1)
        >>> CenterCrop(3, 3)(image)[0, :, :, 0]
        tensor([[ 6.,  7.,  8.],
                [11., 12., 13.],
                [16., 17., 18.]])
        >>> CenterCrop(8, 8)(image).shape  # smaller than the target: resized
        torch.Size([1, 8, 8, 1])
    """

    def __init__(self, height: int, width: int, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name, value in (("height", height), ("width", width)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"CenterCrop {self.name!r}: {name} must be a positive int; received {name}={value!r}.")
        self.height, self.width = height, width
        self.data_format = config.standardize_data_format(data_format)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        check_image_rank(f"CenterCrop {self.name!r}", inputs.shape)
        inputs = inputs.to(self.compute_output_dtype(inputs.dtype))
        height_axis, width_axis = image_axes(inputs.ndim, self.data_format)
        h_diff = inputs.shape[height_axis] - self.height
        w_diff = inputs.shape[width_axis] - self.width
        if h_diff >= 0 and w_diff >= 0:
            top, left = h_diff // 2, w_diff // 2
            return inputs.narrow(height_axis, top, self.height).narrow(width_axis, left, self.width)
        return resize_images(inputs, (self.height, self.width), crop_to_aspect_ratio=True, data_format=self.data_format)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return resized_shape(f"CenterCrop {self.name!r}", input_shape, self.height, self.width, self.data_format)

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        """Floating inputs keep their dtype (unless the layer has one); integer inputs give ``floatx()``."""
        if self._dtype is not None:
            return self._dtype
        return input_dtype if input_dtype.is_floating_point else config.floatx_dtype()

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "height": self.height, "width": self.width, "data_format": self.data_format}
