"""The shared parent of ``RandAugment`` and ``AugMix``: layers that apply randomly chosen augmentation layers.

Both build the same set of fitorch augmentation layers from one ``factor`` (as Keras builds
them), and every sub-layer draws from the policy's one random stream, as in Keras, where the
sub-layers take their seeds from the policy's seed generator.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch.layers.preprocessing.auto_contrast import AutoContrast
from fitorch.layers.preprocessing.base_image_augmentation import (
    INTERPOLATIONS,
    BaseImageAugmentation,
    check_value_range,
)
from fitorch.layers.preprocessing.equalization import Equalization
from fitorch.layers.preprocessing.random_brightness import RandomBrightness
from fitorch.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
from fitorch.layers.preprocessing.random_contrast import RandomContrast
from fitorch.layers.preprocessing.random_posterization import RandomPosterization
from fitorch.layers.preprocessing.random_rotation import RandomRotation
from fitorch.layers.preprocessing.random_sharpness import RandomSharpness
from fitorch.layers.preprocessing.random_shear import RandomShear
from fitorch.layers.preprocessing.random_translation import RandomTranslation
from fitorch.layers.preprocessing.solarization import Solarization

_CPU = torch.device("cpu")


class BaseAugmentationPolicy(BaseImageAugmentation):
    """Base class of the layers that apply augmentation layers chosen at random (``RandAugment``, ``AugMix``).

    Args:
        value_range: ``(low, high)``, the range of the pixel values.
        factor: the strength of every sub-layer, a number or a pair in ``[0, 1]``
            (a number ``f`` means ``(0, f)``).
        interpolation: ``'bilinear'`` or ``'nearest'``, for the geometric sub-layers.
        seed: optional int seed.
        data_format: ``'channels_last'`` or ``'channels_first'``.
    """

    _FACTOR_BOUNDS = (0.0, 1.0)

    def __init__(
        self,
        value_range: Sequence[float],
        factor: float | tuple[float, float],
        interpolation: str,
        seed: int | None,
        data_format: str | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = check_value_range(self, value_range)
        self.factor = self._parse_factor(factor)
        self.interpolation = self._check_choice("interpolation", interpolation, INTERPOLATIONS)

    def _augmentation_layers(self, names: Sequence[str]) -> dict[str, BaseImageAugmentation]:
        """The named sub-layers, built from ``factor`` as Keras builds them, sharing this layer's random stream."""
        factor, image = self.factor, {"data_format": self.data_format}
        geometric = {"interpolation": self.interpolation, "seed": self.seed, **image}
        colors = {"value_range": self.value_range, "seed": self.seed, **image}
        deterministic = {"value_range": self.value_range, **image}
        builders = {
            "random_shear": lambda: RandomShear(x_factor=factor, y_factor=factor, **geometric),
            "random_translation": lambda: RandomTranslation(height_factor=factor, width_factor=factor, **geometric),
            "random_rotation": lambda: RandomRotation(factor=factor, **geometric),
            "random_brightness": lambda: RandomBrightness(factor=factor, **colors),
            "random_color_degeneration": lambda: RandomColorDegeneration(factor=factor, **colors),
            "random_contrast": lambda: RandomContrast(factor=factor, **colors),
            "random_sharpness": lambda: RandomSharpness(factor=factor, **colors),
            "random_posterization": lambda: RandomPosterization(factor=max(1, int(8 * factor[1])), **colors),
            "solarization": lambda: Solarization(addition_factor=factor, threshold_factor=factor, **colors),
            "auto_contrast": lambda: AutoContrast(**deterministic),
            "equalization": lambda: Equalization(**deterministic),
        }
        augmentations = {}
        for name in names:
            try:
                layer = builders[name]()
            except ValueError as error:
                raise ValueError(f"{self._owner}: factor={list(self.factor)} does not suit {name}: {error}") from None
            layer._generators = self._generators  # one random stream for every sub-layer, as in Keras
            augmentations[name] = layer
        return augmentations

    def _host_generator(self) -> torch.Generator | None:
        """This layer's generator on the CPU: the choices of sub-layers are drawn there, so no device sync."""
        return self._generator(_CPU)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "value_range": self.value_range,
            "factor": list(self.factor),
            "interpolation": self.interpolation,
        }
