"""``RandomColorJitter``: random brightness, contrast, saturation and hue changes, in that order, while training."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    augmentation_doc,
    check_value_range,
    plain_factor,
)
from fitorch.layers.preprocessing.random_brightness import RandomBrightness
from fitorch.layers.preprocessing.random_contrast import RandomContrast
from fitorch.layers.preprocessing.random_hue import RandomHue
from fitorch.layers.preprocessing.random_saturation import RandomSaturation

# Sub-layer name -> (its class, the keyword argument of RandomColorJitter that turns it on).
_STEPS = {
    "brightness": (RandomBrightness, "brightness_factor"),
    "contrast": (RandomContrast, "contrast_factor"),
    "saturation": (RandomSaturation, "saturation_factor"),
    "hue": (RandomHue, "hue_factor"),
}


@augmentation_doc("jitter")
class RandomColorJitter(BaseImageAugmentation):
    """Applies ``RandomBrightness``, ``RandomContrast``, ``RandomSaturation`` and ``RandomHue`` in turn.

    Each step runs only when its factor is given, with that layer's meaning of the
    factor; all steps draw from this layer's one random stream (as in Keras). The
    identity at inference.

    Args:
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        brightness_factor: ``RandomBrightness``' ``factor``, or ``None`` (default) to skip it.
        contrast_factor: ``RandomContrast``' ``factor``, or ``None`` to skip it.
        saturation_factor: ``RandomSaturation``' ``factor``, or ``None`` to skip it.
        hue_factor: ``RandomHue``' ``factor``, or ``None`` to skip it.
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomColorJitter
        >>> jitter = RandomColorJitter(value_range=(0, 1), brightness_factor=(0.1, 0.1), contrast_factor=(-0.5, 0.5))
        >>> jitter(torch.tensor([[[[0.2], [0.4]]]]), training=True).flatten()  # +0.1, then contrast x1.5
        tensor([0.2500, 0.5500])
    """

    def __init__(
        self,
        value_range: Sequence[float] = (0, 255),
        brightness_factor: Any = None,
        contrast_factor: Any = None,
        saturation_factor: Any = None,
        hue_factor: Any = None,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = check_value_range(self, value_range)
        factors = {
            "brightness_factor": brightness_factor,
            "contrast_factor": contrast_factor,
            "saturation_factor": saturation_factor,
            "hue_factor": hue_factor,
        }
        self._factors = {name: plain_factor(value) for name, value in factors.items()}
        self.steps: dict[str, BaseImageAugmentation] = {}
        for step, (layer_class, argument) in _STEPS.items():
            if factors[argument] is None:
                continue
            try:
                layer = layer_class(
                    factors[argument], value_range=self.value_range, seed=seed, data_format=self.data_format
                )
            except ValueError as error:
                raise ValueError(f"{self._owner}: invalid {argument}: {error}") from None
            layer._generators = self._generators  # one random stream for every step, as in Keras
            self.steps[step] = layer

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, Any]:
        """One transformation per enabled step, e.g. ``{'brightness': {'rgb_delta': (B,)}, ...}``."""
        return {step: layer.get_random_transformation(images) for step, layer in self.steps.items()}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, Any]) -> torch.Tensor:
        for step, layer in self.steps.items():
            images = layer.transform_images(images, transformation[step])
        return images

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "value_range": self.value_range, **self._factors}
