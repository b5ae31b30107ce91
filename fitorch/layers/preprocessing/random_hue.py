"""``RandomHue``: rotates the hue of each image by a random amount while training."""

from __future__ import annotations

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseColorAugmentationFormatFirst, augmentation_doc
from fitorch.layers.preprocessing.color_utils import transform_value_range
from fitorch.ops.image import hsv_to_rgb, rgb_to_hsv


@augmentation_doc("shift hue")
class RandomHue(BaseColorAugmentationFormatFirst):
    """Shifts the hue of each RGB image by a random amount while training.

    Per image, a shift ``d`` is drawn from ``[lower, upper]`` of ``factor`` with a random
    sign, and the hue (in ``[0, 1]``) moves by ``d / 2``, wrapping around; saturation and
    value are kept. ``factor=1.0`` reaches the opposite hue. Images need 3 channels.
    The identity at inference.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (the range ``(0, f)``) or a pair in ``[0, 1]``.
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomHue
        >>> red = torch.tensor([[[[1.0, 0.0, 0.0]]]])
        >>> RandomHue(1.0, value_range=(0, 1)).transform_images(red, {"factor": torch.tensor([0.5])})
        tensor([[[[0., 1., 1.]]]])
    """

    _FACTOR_BOUNDS = (0.0, 1.0)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'factor': (B,)}``: the hue shift of each image, in ``[-0.5, 0.5]``."""
        batch = images.shape[0]
        sign = self._random_sign((batch,), images.device)
        return {"factor": sign * self._uniform((batch,), self.factor[0], self.factor[1], images.device) * 0.5}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        channel_axis = -1 if self.data_format == "channels_last" else 1
        shift = transformation["factor"].to(device=images.device, dtype=images.dtype).reshape(-1, 1, 1)
        hsv = rgb_to_hsv(transform_value_range(images, self.value_range, (0, 1)), data_format=self.data_format)
        hue, saturation, value = hsv.unbind(dim=channel_axis)  # each (B, H, W)
        hue = hue + shift
        hue = torch.where(hue > 1.0, hue - 1.0, hue)
        hue = torch.where(hue < 0.0, hue + 1.0, hue)
        rgb = hsv_to_rgb(torch.stack([hue, saturation, value], dim=channel_axis), data_format=self.data_format)
        return transform_value_range(rgb.clamp(0, 1), (0, 1), self.value_range)
