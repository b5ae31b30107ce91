"""``RandomSaturation``: scales the saturation of each image by a random amount while training."""

from __future__ import annotations

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseColorAugmentationFormatFirst, augmentation_doc
from fitorch.ops.image import hsv_to_rgb, rgb_to_hsv

_EPSILON = 1e-7  # Keras' backend epsilon()


@augmentation_doc("adjust")
class RandomSaturation(BaseColorAugmentationFormatFirst):
    """Scales the saturation of each RGB image by a random amount while training.

    Per image, ``s`` is drawn from ``[lower, upper]`` of ``factor`` and the HSV saturation
    is multiplied by ``s / (1 - s)`` (then clipped to ``value_range``): ``0.5`` keeps the
    image, ``0`` turns it gray and values near ``1`` saturate it fully. As in Keras' code,
    a single float ``f`` gives the range ``(-f, f)`` (negative draws also give gray), so
    pass a pair such as ``(0.5, 0.9)`` for a definite range. Images need 3 channels.
    The identity at inference.

    Args:
        factor: a float or a pair of floats in ``[-1, 1]`` (see above).
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomSaturation
        >>> image = torch.tensor([[[[1.0, 0.5, 0.5]]]])
        >>> RandomSaturation((0.0, 0.0), value_range=(0, 1))(image, training=True)  # fully gray
        tensor([[[[1., 1., 1.]]]])
    """

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'factor': (B,)}``: the saturation multiplier ``s / (1 - s)`` of each image."""
        draws = self._uniform((images.shape[0],), self.factor[0], self.factor[1], images.device)
        return {"factor": draws / (1 - draws + _EPSILON)}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        channel_axis = -1 if self.data_format == "channels_last" else 1
        factor = transformation["factor"].to(device=images.device, dtype=images.dtype).reshape(-1, 1, 1)
        # As in Keras, HSV is taken of the values as they are (not rescaled to [0, 1]).
        hue, saturation, value = rgb_to_hsv(images, data_format=self.data_format).unbind(dim=channel_axis)
        saturation = (saturation * factor).clamp(self.value_range[0], self.value_range[1])
        return hsv_to_rgb(torch.stack([hue, saturation, value], dim=channel_axis), data_format=self.data_format)
