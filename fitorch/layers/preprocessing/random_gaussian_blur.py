"""``RandomGaussianBlur``: blurs randomly chosen images with a Gaussian kernel while training."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseColorAugmentation, augmentation_doc
from fitorch.layers.preprocessing.color_utils import per_image
from fitorch.ops.image_filters import gaussian_blur


@augmentation_doc("blur")
class RandomGaussianBlur(BaseColorAugmentation):
    """Blurs each image with a Gaussian kernel, with a random probability, while training.

    As in Keras: per image, the image is blurred when a uniform draw falls below a
    probability drawn from ``[lower, upper]`` of ``factor``; the two standard deviations
    (along the width and the height) are drawn once per batch from ``sigma``; the kernel
    is zero-padded at the borders, and every image is then clipped to ``value_range``.
    The identity at inference.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (probabilities in ``[0, f]``) or a pair; default ``1.0``.
        kernel_size: an odd int, or a pair of odd ints (width, height); default ``3``.
        sigma: a float ``s`` in ``[0, 1]`` (the range ``(0, s)``) or a pair; default ``1.0``.
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomGaussianBlur
        >>> image = torch.zeros(1, 5, 5, 1)
        >>> image[0, 2, 2, 0] = 255.0
        >>> out = RandomGaussianBlur(factor=(1.0, 1.0), sigma=(1.0, 1.0))(image, training=True)
        >>> round(float(out[0, 2, 2, 0]), 2)  # the center keeps 0.4519 ** 2 of its value
        52.07
    """

    _FACTOR_BOUNDS = (0.0, 1.0)

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        kernel_size: int | tuple[int, int] = 3,
        sigma: float | tuple[float, float] = 1.0,
        value_range: Sequence[float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(factor, value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        sizes = list(kernel_size) if isinstance(kernel_size, (tuple, list)) else [kernel_size, kernel_size]
        if len(sizes) != 2 or not all(
            isinstance(k, Integral) and not isinstance(k, bool) and k > 0 and k % 2 == 1 for k in sizes
        ):
            raise ValueError(
                f"{self._owner}: kernel_size must be an odd int or a pair of odd ints; "
                f"received kernel_size={kernel_size!r}."
            )
        self.kernel_size = (int(sizes[0]), int(sizes[1]))
        self.sigma = self._parse_factor(sigma, "sigma")

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'should_apply_blur': (B,) bool, 'blur_factor': (2,)}`` (the sigmas, shared by the batch)."""
        batch, device = images.shape[0], images.device
        apply = self._apply_draws(batch, device)
        sigma = self._uniform((2,), self.sigma[0], self.sigma[1], device) + 1e-6
        return {"should_apply_blur": apply, "blur_factor": sigma}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        blurred = gaussian_blur(images, self.kernel_size, transformation["blur_factor"], self.data_format)
        outputs = torch.where(per_image(transformation["should_apply_blur"], images), blurred, images)
        return outputs.clamp(self.value_range[0], self.value_range[1])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "kernel_size": list(self.kernel_size), "sigma": list(self.sigma)}
