"""``RandomErasing``: fills a random box of randomly chosen images while training."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    augmentation_doc,
    check_value_range,
)
from fitorch.layers.preprocessing.base_mixing import box_masks
from fitorch.layers.preprocessing.color_utils import per_image


@augmentation_doc("erase")
class RandomErasing(BaseImageAugmentation):
    """Fills a random box of each image with noise or a constant, with a random probability, while training.

    As in Keras: per image, the box's width and height are ``sqrt(s_w)`` and ``sqrt(s_h)``
    times the image's, with ``s_w``, ``s_h`` drawn from ``scale``, at a uniform random
    position; the image is erased when a uniform draw falls below a probability drawn
    from ``[lower, upper]`` of ``factor``. The box gets ``fill_value`` (a number, or one
    per channel), or, when ``fill_value`` is ``None``, Gaussian noise times
    ``value_range[1]``; either is clipped to ``value_range``. The identity at inference.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (probabilities in ``[0, f]``) or a pair; default ``1.0``.
        scale: a float or a pair in ``[0, 1]``: the range of each side's squared share of the
            image (default ``(0.02, 0.33)``).
        fill_value: ``None`` (default, noise), a number, or a list of 3 numbers (one per channel).
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomErasing
        >>> layer = RandomErasing(factor=(1.0, 1.0), scale=(0.25, 0.25), fill_value=0.0, seed=0)
        >>> out = layer(torch.ones(1, 4, 4, 1), training=True)
        >>> int((out == 0).sum())  # a 2 x 2 box
        4
    """

    _FACTOR_BOUNDS = (0.0, 1.0)

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        scale: float | tuple[float, float] = (0.02, 0.33),
        fill_value: float | Sequence[float] | None = None,
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = self._parse_factor(factor)
        self.scale = self._parse_factor(scale, "scale")
        is_number = isinstance(fill_value, Real) and not isinstance(fill_value, bool)
        per_channel = (
            isinstance(fill_value, (tuple, list))
            and len(fill_value) == 3
            and all(isinstance(v, Real) and not isinstance(v, bool) for v in fill_value)
        )
        if not (fill_value is None or is_number or per_channel):
            raise ValueError(
                f"{self._owner}: fill_value must be None, a number or a list of 3 numbers; "
                f"received fill_value={fill_value!r}."
            )
        self.fill_value = list(map(float, fill_value)) if per_channel else fill_value
        self.value_range = check_value_range(self, value_range)

    def _fill(self, images: torch.Tensor) -> torch.Tensor:
        if self.fill_value is None:
            noise = torch.randn(images.shape, generator=self._generator(images.device), device=images.device)
            fill = noise.to(images.dtype) * self.value_range[1]
        elif isinstance(self.fill_value, list):
            channel_shape = (1, 1, 1, 3) if self.data_format == "channels_last" else (1, 3, 1, 1)
            fill = torch.tensor(self.fill_value, dtype=images.dtype, device=images.device).view(channel_shape)
            fill = fill.expand(images.shape)
        else:
            fill = torch.full_like(images, float(self.fill_value))
        return fill.clamp(self.value_range[0], self.value_range[1])

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'apply_erasing': (B,) bool, 'batch_masks': like images, 'fill_value': like images}``."""
        batch, device = images.shape[0], images.device
        sides = torch.sqrt(self._uniform((batch, 2), self.scale[0], self.scale[1], device))
        bounds = self._random_boxes(images, sides[:, 0], sides[:, 1])
        masks = box_masks(tuple(images.shape), *bounds, data_format=self.data_format)
        apply = self._apply_draws(batch, device)
        return {"apply_erasing": apply, "batch_masks": masks, "fill_value": self._fill(images)}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        fill = torch.as_tensor(transformation["fill_value"], device=images.device).to(images.dtype)
        erased = torch.where(transformation["batch_masks"].to(images.device), fill, images)
        return torch.where(per_image(transformation["apply_erasing"], images), erased, images)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": list(self.factor),
            "scale": list(self.scale),
            "fill_value": self.fill_value,
            "value_range": self.value_range,
        }
