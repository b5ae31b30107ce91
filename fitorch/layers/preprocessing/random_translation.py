"""``RandomTranslation``: shifts images by a random offset while training."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseAffineAugmentation, augmentation_doc


@augmentation_doc("shift")
class RandomTranslation(BaseAffineAugmentation):
    """Shifts each image vertically and horizontally by a random offset while training.

    The vertical shift is drawn uniformly from ``[lower, upper] * height`` pixels
    (positive moves the image down), the horizontal one from
    ``[lower, upper] * width`` (positive moves it right). Uncovered points are filled
    according to ``fill_mode``. The identity at inference.

    Args:
        height_factor: a float ``f`` (the range ``[-f, f]``) or a pair
            ``(lower, upper)``, fractions of the height in ``[-1, 1]``.
        width_factor: the same, as fractions of the width.
        {affine_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomTranslation
        >>> image = torch.arange(1.0, 5.0).reshape(1, 1, 4, 1)
        >>> right = RandomTranslation(0.0, (0.25, 0.25), fill_mode="constant")  # one pixel right
        >>> right(image, training=True).flatten()
        tensor([0., 1., 2., 3.])
    """

    def __init__(
        self,
        height_factor: float | tuple[float, float],
        width_factor: float | tuple[float, float],
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self._set_axis_factors(height_factor, width_factor)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'translations': (B, 2)}``: the (x, y) shifts in pixels."""
        height, width = self._image_size(images)
        shape = (images.shape[0], 1)
        dy = self._uniform(shape, self.height_lower, self.height_upper, images.device) * height
        dx = self._uniform(shape, self.width_lower, self.width_upper, images.device) * width
        return {"translations": torch.cat([dx, dy], dim=1)}

    def transform_matrix(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        shifts = transformation["translations"].to(device=images.device, dtype=torch.float32)
        ones, zeros = torch.ones_like(shifts[:, :1]), torch.zeros_like(shifts[:, :1])
        # [[1, 0, -dx], [0, 1, -dy]]: each output pixel reads the input pixel shifted back.
        return torch.cat([ones, zeros, -shifts[:, 0:1], zeros, ones, -shifts[:, 1:], zeros, zeros], dim=1)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor}
