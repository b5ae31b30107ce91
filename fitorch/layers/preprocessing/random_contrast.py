"""``RandomContrast``: scales each image's contrast by a random factor while training."""

from __future__ import annotations

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseColorAugmentation, augmentation_doc


@augmentation_doc("adjust")
class RandomContrast(BaseColorAugmentation):
    """Adjusts the contrast of each image by a random factor while training.

    For each image and channel, ``(x - mean) * c + mean`` where ``mean`` is the
    channel's mean over the pixels and ``c`` is drawn per image from
    ``[1 - lower, 1 + upper]``; the result is clipped to ``value_range``. Keras
    parses ``factor`` with bounds ``[0, 1]``: a single float ``f`` gives
    ``(lower, upper) = (0, f)``, so ``c`` lies in ``[1, 1 + f]``; a pair
    ``(lower, upper)`` gives ``c`` in ``[1 - lower, 1 + upper]``. The identity at
    inference.

    Args:
        factor: a float or a pair of floats in ``[0, 1]`` (see above).
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomContrast
        >>> image = torch.tensor([[[[10.0], [30.0]]]])  # mean 20
        >>> RandomContrast((0.0, 1.0), seed=0).transform_images(image, {"contrast_factor": torch.tensor([2.0])})
        tensor([[[[ 0.],
                  [40.]]]])
    """

    _FACTOR_BOUNDS = (0.0, 1.0)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'contrast_factor': (B,)}``."""
        lower, upper = self.factor
        return {"contrast_factor": self._uniform((images.shape[0],), 1.0 - lower, 1.0 + upper, images.device)}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        factor = transformation["contrast_factor"].to(device=images.device, dtype=images.dtype).reshape(-1, 1, 1, 1)
        mean = images.mean(dim=self._spatial_axes(), keepdim=True)  # (B, 1, 1, C) or (B, C, 1, 1)
        outputs = (images - mean) * factor + mean
        return outputs.clamp(self.value_range[0], self.value_range[1])
