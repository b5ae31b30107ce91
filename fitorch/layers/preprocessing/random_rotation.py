"""``RandomRotation``: rotates images by a random angle while training."""

from __future__ import annotations

import math
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseAffineAugmentation, augmentation_doc


@augmentation_doc("rotate")
class RandomRotation(BaseAffineAugmentation):
    """Rotates each image by a random angle about its centre while training; the identity at inference.

    The angle is drawn uniformly from ``[lower * 360°, upper * 360°]``; positive
    angles rotate counter-clockwise. Points that fall outside the image are filled
    according to ``fill_mode``. Integer images give float outputs.

    Args:
        factor: a float ``f`` (the range ``[-f, f]``) or a pair ``(lower, upper)``, as
            fractions of a full turn, in ``[-1, 1]``. ``factor=0.1`` rotates by up to ±36°.
        {affine_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomRotation
        >>> image = torch.arange(9.0).reshape(1, 3, 3, 1)
        >>> quarter_turn = RandomRotation((0.25, 0.25))  # always +90°
        >>> quarter_turn(image, training=True)[0, :, :, 0].round()
        tensor([[2., 5., 8.],
                [1., 4., 7.],
                [0., 3., 6.]])
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = self._parse_factor(factor)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'angle': (B,)}``, in degrees."""
        lower, upper = self.factor
        return {"angle": self._uniform((images.shape[0],), lower * 360.0, upper * 360.0, images.device)}

    def transform_matrix(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        # Keras' rotation about the centre ((W - 1) / 2, (H - 1) / 2), mapping output pixels to input points.
        angle = transformation["angle"].to(device=images.device, dtype=torch.float32)
        angle = angle * torch.tensor(math.pi / 180.0, dtype=torch.float32)
        height, width = self._image_size(images)
        cx, cy = 0.5 * (width - 1), 0.5 * (height - 1)
        cos, sin = torch.cos(angle), torch.sin(angle)
        a0, a1 = cos, -sin
        b0, b1 = sin, cos
        a2 = cx - cx * a0 - cy * a1
        b2 = cy - cx * b0 - cy * b1
        zeros = torch.zeros_like(angle)
        return torch.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], dim=1)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": list(self.factor)}
