"""``AutoContrast``: stretches each image's values over the whole value range, always (not only in training)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentation, check_value_range
from fitorch.layers.preprocessing.color_utils import transform_value_range
from fitorch.layers.preprocessing.image_utils import DATA_FORMAT_ARG, IMAGES_CALL_ARG, SAME_IMAGE_SHAPE
from fitorch.utils.docstrings import fill_doc


@fill_doc(data_format_arg=DATA_FORMAT_ARG, images_call_arg=IMAGES_CALL_ARG, same_image_shape=SAME_IMAGE_SHAPE)
class AutoContrast(BaseImageAugmentation):
    """Stretches each channel of each image so its values span the whole ``value_range``.

    Per image and channel, the lowest value maps to ``low`` and the highest to ``high``
    (computed on the ``[0, 255]`` scale, as Keras does); a channel whose values are all
    equal is returned unchanged. Nothing is random: unlike the ``Random*`` layers it
    transforms in training and at inference alike, as in Keras.

    Args:
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {data_format_arg}

    Call arguments:
        {images_call_arg}
        training: ignored (the layer always transforms).

    {same_image_shape}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import AutoContrast
        >>> image = torch.tensor([[[[0.2], [0.4], [0.6]]]])
        >>> AutoContrast(value_range=(0, 1))(image).flatten()
        tensor([0.0000, 0.5000, 1.0000])
    """

    def __init__(self, value_range: Sequence[float] = (0, 255), data_format: str | None = None, **kwargs: Any):
        super().__init__(seed=None, data_format=data_format, **kwargs)
        self.value_range = check_value_range(self, value_range)

    def get_random_transformation(self, images: torch.Tensor) -> None:
        """Nothing to draw."""
        return None

    def transform_images(self, images: torch.Tensor, transformation: Any = None) -> torch.Tensor:
        scaled = transform_value_range(images, self.value_range, (0, 255))
        low = scaled.amin(dim=self._spatial_axes(), keepdim=True)  # (B, 1, 1, C) or (B, C, 1, 1)
        high = scaled.amax(dim=self._spatial_axes(), keepdim=True)
        scale = 255.0 / (high - low)
        results = (scaled * scale - low * scale).clamp(0.0, 255.0)
        results = transform_value_range(results, (0, 255), self.value_range)
        return torch.where(torch.isnan(results), images, results)  # a flat channel gives 0 * inf: keep it

    def inference(self, images: torch.Tensor) -> torch.Tensor:
        batch = images if images.ndim == 4 else images.unsqueeze(0)
        outputs = self.transform_images(batch)
        return outputs if images.ndim == 4 else outputs.squeeze(0)

    def get_config(self) -> dict[str, Any]:
        config = {**super().get_config(), "value_range": self.value_range}
        del config["seed"]
        return config
