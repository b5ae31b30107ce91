"""``RandomElasticTransform``: distorts randomly chosen images by a smooth random field while training."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    augmentation_doc,
    check_value_range,
)
from fitorch.layers.preprocessing.color_utils import per_image
from fitorch.ops.image_warps import elastic_transform

FILL_MODES = ("reflect", "mirror", "wrap", "constant", "nearest")


@augmentation_doc("distort")
class RandomElasticTransform(BaseImageAugmentation):
    """Distorts each image, with a random probability, by an elastic displacement field while training.

    As in Keras: per image, the distortion is applied when a uniform draw falls below a
    probability drawn from ``[lower, upper]`` of ``factor``. One distortion factor ``s`` is
    drawn per batch from ``scale``, and ``ops.image.elastic_transform`` runs with
    ``alpha = 0.1 * s * max(H, W)`` and ``sigma = 0.05 * s * min(H, W)``. Every image is then
    clipped to ``value_range``. The identity at inference (and when ``factor`` or ``scale``
    can only be 0).

    Args:
        factor: a float ``f`` in ``[0, 1]`` (probabilities in ``[0, f]``) or a pair; default ``1.0``.
        scale: a float ``s`` in ``[0, 1]`` (the range ``[0, s]``) or a pair; default ``1.0``.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_mode: ``'reflect'`` (default), ``'mirror'``, ``'wrap'``, ``'constant'`` or ``'nearest'``.
        fill_value: float, the fill value for ``fill_mode='constant'`` (default ``0.0``).
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomElasticTransform
        >>> images = torch.rand(2, 20, 20, 3) * 255
        >>> layer = RandomElasticTransform(factor=(1.0, 1.0), scale=(0.5, 0.5), seed=0)
        >>> out = layer(images, training=True)
        >>> out.shape, bool((out - images).abs().max() > 1)
        (torch.Size([2, 20, 20, 3]), True)
    """

    _FACTOR_BOUNDS = (0.0, 1.0)

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        scale: float | tuple[float, float] = 1.0,
        interpolation: str = "bilinear",
        fill_mode: str = "reflect",
        fill_value: float = 0.0,
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = self._parse_factor(factor)
        self.scale = self._parse_factor(scale, "scale")
        self._set_resampling(fill_mode, interpolation, fill_value, FILL_MODES)
        self.value_range = check_value_range(self, value_range)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor] | None:
        """``{'apply_transform': (B,) bool, 'distortion_factor': ()}``, or ``None`` when nothing can change."""
        if self.scale[1] == 0 or self.factor[1] == 0:
            return None
        batch, device = images.shape[0], images.device
        apply = self._apply_draws(batch, device)
        distortion = self._uniform((), self.scale[0], self.scale[1], device)
        return {"apply_transform": apply, "distortion_factor": distortion}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor] | None) -> torch.Tensor:
        if transformation is None:
            return images
        height, width = self._image_size(images)
        distortion = float(transformation["distortion_factor"])  # sets the blur's kernel size, so a Python number
        alpha, sigma = max(height, width) * 0.1 * distortion, min(height, width) * 0.05 * distortion
        if sigma <= 0:  # a zero draw: Keras' blur would divide by zero
            return images
        distorted = elastic_transform(
            images,
            alpha=alpha,
            sigma=sigma,
            interpolation=self.interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            seed=self._generator(images.device),
            data_format=self.data_format,
        )
        outputs = torch.where(per_image(transformation["apply_transform"], images), distorted, images)
        return outputs.clamp(self.value_range[0], self.value_range[1])

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": list(self.factor),
            "scale": list(self.scale),
            "interpolation": self.interpolation,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "value_range": self.value_range,
        }
