"""``RandomColorDegeneration``: blends each image with its grayscale version by a random amount while training."""

from __future__ import annotations

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseColorAugmentationFormatFirst, augmentation_doc
from fitorch.layers.preprocessing.color_utils import per_image
from fitorch.ops.image import rgb_to_grayscale


@augmentation_doc("degenerate")
class RandomColorDegeneration(BaseColorAugmentationFormatFirst):
    """Moves each RGB image toward its grayscale version by a random amount while training.

    Per image, ``f`` is drawn from ``[lower, upper]`` of ``factor`` and the output is
    ``x + f * (gray(x) - x)`` clipped to ``value_range``: ``0`` keeps the image, ``1``
    gives its grayscale. As in Keras, a single float ``f`` gives the range ``(-f, f)``
    (negative draws push colors away from gray). Images need 3 channels. The identity
    at inference.

    Args:
        factor: a float or a pair of floats in ``[-1, 1]`` (see above).
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomColorDegeneration
        >>> image = torch.tensor([[[[1.0, 0.0, 0.0]]]])
        >>> RandomColorDegeneration((0.5, 0.5), value_range=(0, 1))(image, training=True)
        tensor([[[[0.6495, 0.1495, 0.1495]]]])
    """

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'factor': (B, 1, 1, 1)}``."""
        return {"factor": self._uniform((images.shape[0], 1, 1, 1), self.factor[0], self.factor[1], images.device)}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        factor = per_image(transformation["factor"], images)
        gray = rgb_to_grayscale(images, data_format=self.data_format)  # (B, H, W, 1) or (B, 1, H, W)
        return (images + factor * (gray - images)).clamp(self.value_range[0], self.value_range[1])

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        shape = super().compute_output_shape(input_shape)
        channels = input_shape[-1 if self.data_format == "channels_last" else -3]
        if channels is not None and channels != 3:
            raise ValueError(f"{self._owner}: images must have 3 channels; received shape {tuple(input_shape)}.")
        return shape
