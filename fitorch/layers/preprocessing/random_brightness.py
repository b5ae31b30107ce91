"""``RandomBrightness``: adds a random brightness offset to each image while training."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentation
from fitorch.layers.preprocessing.random_contrast import check_value_range


class RandomBrightness(BaseImageAugmentation):
    """Adds a random offset to every pixel of each image while training.

    The offset is drawn per image from ``[lower, upper] * (high - low)`` of
    ``value_range`` and the result is clipped to ``value_range``. The identity at
    inference.

    Args:
        factor: a float ``f`` (the range ``[-f, f]``) or a pair ``(lower, upper)`` in
            ``[-1, 1]``, as fractions of the value range. ``0.2`` brightens or darkens
            by up to 20%.
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        seed: optional int; when given, the draws repeat exactly from run to run.
        data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` takes
            ``fitorch.config.image_data_format()``.

    Call arguments:
        inputs: images, a batch (rank 4) or a single image (rank 3).
        training: ``True`` to adjust, ``False`` for the identity; ``None`` (default)
            follows ``self.training``.

    Input shape:
        ``(batch, height, width, channels)`` or ``(height, width, channels)``
        (channels_last), or the channels_first equivalents.

    Output shape:
        Same as the input.

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomBrightness
        >>> image = torch.tensor([[[[0.2], [0.9]]]])
        >>> brighter = RandomBrightness((0.25, 0.25), value_range=(0, 1))  # always +0.25
        >>> brighter(image, training=True)
        tensor([[[[0.4500],
                  [1.0000]]]])
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = self._parse_factor(factor)
        self.value_range = check_value_range(self, value_range)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'rgb_delta': (B,)}``: the offset of each image."""
        lower, upper = self.factor
        delta = self._uniform((images.shape[0],), lower, upper, images.device)
        return {"rgb_delta": delta * (self.value_range[1] - self.value_range[0])}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        delta = transformation["rgb_delta"].to(device=images.device, dtype=images.dtype).reshape(-1, 1, 1, 1)
        return (images + delta).clamp(self.value_range[0], self.value_range[1])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": list(self.factor), "value_range": self.value_range}
