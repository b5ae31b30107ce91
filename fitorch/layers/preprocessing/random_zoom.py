"""``RandomZoom``: zooms images in or out by a random amount while training."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseAffineAugmentation, augmentation_doc


@augmentation_doc("zoom")
class RandomZoom(BaseAffineAugmentation):
    """Zooms each image in or out about its centre by a random amount while training.

    The zoom of each axis is drawn uniformly from ``[1 + lower, 1 + upper]``. A zoom
    above 1 (positive factor) zooms **out** (the image shrinks and the borders are
    filled by ``fill_mode``); below 1 zooms in, as in Keras. The identity at inference.

    Args:
        height_factor: a float ``f`` (the range ``[-f, f]``) or a pair
            ``(lower, upper)``, each in ``(-1, 1]``, for the vertical zoom.
        width_factor: the same for the horizontal zoom; ``None`` (default) keeps the
            aspect ratio (the width zoom equals the height zoom).
        {affine_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomZoom
        >>> image = torch.arange(9.0).reshape(1, 3, 3, 1)
        >>> zoom_out = RandomZoom((1.0, 1.0), fill_mode="constant", interpolation="nearest")
        >>> zoom_out(image, training=True)[0, :, :, 0]  # zoom 2: every other pixel
        tensor([[0., 0., 0.],
                [0., 4., 0.],
                [0., 0., 0.]])
    """

    def __init__(
        self,
        height_factor: float | tuple[float, float],
        width_factor: float | tuple[float, float] | None = None,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self._set_axis_factors(height_factor, width_factor, open_below=True, width_follows_height=width_factor is None)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'height_zoom': (B, 1), 'width_zoom': (B, 1)}``."""
        shape = (images.shape[0], 1)
        height_zoom = self._uniform(shape, 1.0 + self.height_lower, 1.0 + self.height_upper, images.device)
        if self.width_factor is None:
            return {"height_zoom": height_zoom, "width_zoom": height_zoom}
        width_zoom = self._uniform(shape, 1.0 + self.width_lower, 1.0 + self.width_upper, images.device)
        return {"height_zoom": height_zoom, "width_zoom": width_zoom}

    def transform_matrix(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        height, width = self._image_size(images)
        width_zoom = transformation["width_zoom"].to(device=images.device, dtype=torch.float32).reshape(-1, 1)
        height_zoom = transformation["height_zoom"].to(device=images.device, dtype=torch.float32).reshape(-1, 1)
        x_offset = ((width - 1.0) / 2.0) * (1.0 - width_zoom)  # keeps the centre fixed
        y_offset = ((height - 1.0) / 2.0) * (1.0 - height_zoom)
        zeros = torch.zeros_like(width_zoom)
        return torch.cat([width_zoom, zeros, x_offset, zeros, height_zoom, y_offset, zeros, zeros], dim=1)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor}
