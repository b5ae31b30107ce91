"""``RandomGrayscale``: turns a random share of the images to grayscale while training."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentation, augmentation_doc
from fitorch.layers.preprocessing.color_utils import per_image
from fitorch.ops.image import rgb_to_grayscale


@augmentation_doc("convert")
class RandomGrayscale(BaseImageAugmentation):
    """Converts each image to grayscale with probability ``factor`` while training.

    A converted image keeps its channels, each set to the luma
    ``0.2989 R + 0.587 G + 0.114 B``; the others pass unchanged. Use it to make a model
    robust to color shifts. Images need 3 channels (or 1, which is left as it is).
    The identity at inference.

    Args:
        factor: float in ``[0, 1]``, the probability of converting each image (default ``0.5``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomGrayscale
        >>> image = torch.tensor([[[[1.0, 0.0, 0.0]]]])  # one red pixel
        >>> RandomGrayscale(factor=1.0)(image, training=True)
        tensor([[[[0.2989, 0.2989, 0.2989]]]])
    """

    def __init__(self, factor: float = 0.5, data_format: str | None = None, seed: int | None = None, **kwargs: Any):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if not isinstance(factor, Real) or isinstance(factor, bool) or not 0.0 <= factor <= 1.0:
            raise ValueError(f"{self._owner}: factor must be a float in [0, 1]; received factor={factor!r}.")
        self.factor = float(factor)

    def get_random_transformation(self, images: torch.Tensor) -> torch.Tensor:
        """``(B, 1, 1, 1)`` booleans: which images turn gray (Keras' ``should_apply``)."""
        return (self._uniform((images.shape[0],), 0.0, 1.0, images.device) < self.factor).reshape(-1, 1, 1, 1)

    def transform_images(self, images: torch.Tensor, transformation: torch.Tensor) -> torch.Tensor:
        gray = rgb_to_grayscale(images, data_format=self.data_format)  # one channel, broadcast back to all
        return torch.where(per_image(transformation, images), gray, images)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": self.factor}
