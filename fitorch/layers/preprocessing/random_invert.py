"""``RandomInvert``: inverts the colors of randomly chosen images while training."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import (
    BaseColorAugmentation,
    augmentation_doc,
)
from fitorch.layers.preprocessing.color_utils import per_image


@augmentation_doc("invert")
class RandomInvert(BaseColorAugmentation):
    """Inverts the colors of each image (``high - x``) with a random probability while training.

    For each image a probability ``p`` is drawn from ``[lower, upper]`` of ``factor``
    and the image is inverted when a second uniform draw falls below ``p``; as in Keras,
    an inverted pixel is ``value_range[1] - x``. The identity at inference.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (probabilities in ``[0, f]``) or a pair
            ``(lower, upper)``; default ``1.0``.
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomInvert
        >>> images = torch.tensor([[[[0.25]]], [[[0.25]]]])
        >>> RandomInvert(value_range=(0, 1)).transform_images(
        ...     images, {"apply_inversion": torch.tensor([True, False])}
        ... ).flatten()
        tensor([0.7500, 0.2500])
    """

    _FACTOR_BOUNDS = (0.0, 1.0)

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(factor, value_range=value_range, seed=seed, data_format=data_format, **kwargs)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'apply_inversion': (B,) bool}``."""
        return {"apply_inversion": self._apply_draws(images.shape[0], images.device)}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        apply = per_image(transformation["apply_inversion"], images)
        return torch.where(apply, self.value_range[1] - images, images)
