"""``RandomSharpness``: sharpens or blurs each image by a random amount while training."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from fitorch.layers.preprocessing.base_image_augmentation import BaseColorAugmentationFormatFirst, augmentation_doc
from fitorch.layers.preprocessing.color_utils import per_image


@augmentation_doc("adjust")
class RandomSharpness(BaseColorAugmentationFormatFirst):
    """Sharpens or blurs each image by a random amount while training.

    Per image, ``f`` is drawn from ``[lower, upper]`` of ``factor`` and the image is
    blended with a smoothed copy (the 3x3 kernel ``[[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13``
    on each channel, zero-padded): ``x + (1 - 2 f) * (smooth(x) - x)``, clipped to
    ``value_range``. ``f = 0.5`` keeps the image, ``0`` gives the smoothed one and ``1``
    sharpens. The identity at inference.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (the range ``(0, f)``) or a pair in ``[0, 1]``.
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomSharpness
        >>> image = torch.rand(1, 4, 4, 3)
        >>> same = RandomSharpness((0.5, 0.5), value_range=(0, 1))(image, training=True)
        >>> torch.allclose(same, image)
        True
    """

    _FACTOR_BOUNDS = (0.0, 1.0)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'factor': (B,)}``."""
        return {"factor": self._uniform((images.shape[0],), self.factor[0], self.factor[1], images.device)}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        sharpness = per_image(transformation["factor"], images) * 2
        channels_last = self.data_format == "channels_last"
        batch = images.permute(0, 3, 1, 2) if channels_last else images  # (B, C, H, W)
        channels = batch.shape[1]
        a, b = 1.0 / 13.0, 5.0 / 13.0
        kernel = torch.tensor([[a, a, a], [a, b, a], [a, a, a]], dtype=images.dtype, device=images.device)
        smoothed = F.conv2d(batch, kernel.expand(channels, 1, 3, 3), padding=1, groups=channels)
        if channels_last:
            smoothed = smoothed.permute(0, 2, 3, 1)
        outputs = images + (1.0 - sharpness) * (smoothed - images)
        return outputs.clamp(self.value_range[0], self.value_range[1])
