"""``RandomBrightness``: adds a random brightness offset to each image while training."""

from __future__ import annotations

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseColorAugmentation, augmentation_doc


@augmentation_doc("adjust")
class RandomBrightness(BaseColorAugmentation):
    """Adds a random offset to every pixel of each image while training.

    The offset is drawn per image from ``[lower, upper] * (high - low)`` of
    ``value_range`` and the result is clipped to ``value_range``. The identity at
    inference.

    Args:
        factor: a float ``f`` (the range ``[-f, f]``) or a pair ``(lower, upper)`` in
            ``[-1, 1]``, as fractions of the value range. ``0.2`` brightens or darkens
            by up to 20%.
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomBrightness
        >>> image = torch.tensor([[[[0.2], [0.9]]]])
        >>> brighter = RandomBrightness((0.25, 0.25), value_range=(0, 1))  # always +0.25
        >>> brighter(image, training=True)
        tensor([[[[0.4500],
                  [1.0000]]]])
    """

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'rgb_delta': (B,)}``: the offset of each image."""
        lower, upper = self.factor
        delta = self._uniform((images.shape[0],), lower, upper, images.device)
        return {"rgb_delta": delta * (self.value_range[1] - self.value_range[0])}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        delta = transformation["rgb_delta"].to(device=images.device, dtype=images.dtype).reshape(-1, 1, 1, 1)
        return (images + delta).clamp(self.value_range[0], self.value_range[1])
