"""``Solarization``: inverts the pixels above a threshold (``high - x + low``) while training."""

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
from fitorch.layers.preprocessing.color_utils import per_image, transform_value_range


@augmentation_doc("solarize")
class Solarization(BaseImageAugmentation):
    """Solarizes images while training: pixels at or above a threshold become ``high - x + low``.

    Computed on the ``[0, 255]`` scale, as Keras does: per image, an addition ``a`` and a
    threshold ``t`` are drawn, then ``y = clip(x + a, 0, 255)`` and the output is ``y``
    where ``y < t`` and ``255 - y`` elsewhere, mapped back to ``value_range``. With the
    default ``threshold_factor=0`` every pixel is inverted. As in Keras, ``a`` is drawn
    from ``[lower, upper * 255]`` of ``addition_factor`` and ``t`` likewise (the lower
    end is not scaled). The identity at inference.

    Args:
        addition_factor: a float ``f`` in ``[0, 1]`` (the range ``(0, f)``) or a pair in
            ``[0, 1]``; as a fraction of 255, added to each pixel before thresholding
            (default ``0.0``).
        threshold_factor: a float or a pair in ``[0, 1]`` like ``addition_factor``; only
            pixels at or above this fraction of 255 are inverted (default ``0.0``).
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import Solarization
        >>> image = torch.tensor([[[[0.0], [0.25], [1.0]]]])
        >>> Solarization(value_range=(0, 1))(image, training=True).flatten()
        tensor([1.0000, 0.7500, 0.0000])
    """

    def __init__(
        self,
        addition_factor: float | tuple[float, float] = 0.0,
        threshold_factor: float | tuple[float, float] = 0.0,
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.addition_factor = self._unit_range(addition_factor, "addition_factor")
        self.threshold_factor = self._unit_range(threshold_factor, "threshold_factor")
        self.value_range = check_value_range(self, value_range)

    def _unit_range(self, factor: Any, name: str) -> tuple[float, float]:
        """Keras' rule here: a number ``f`` gives ``(0, f)``, a pair is sorted; every number in ``[0, 1]``."""
        values = list(factor) if isinstance(factor, (tuple, list)) else [factor]
        if len(values) not in (1, 2) or not all(
            isinstance(v, Real) and not isinstance(v, bool) and 0.0 <= v <= 1.0 for v in values
        ):
            raise ValueError(
                f"{self._owner}: {name} must be a number or a pair of numbers in [0, 1]; received {name}={factor!r}."
            )
        if isinstance(factor, (tuple, list)):
            lower, upper = sorted(float(v) for v in values)
            return lower, upper
        return 0.0, float(factor)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'additions': (B, 1, 1, 1), 'thresholds': (B, 1, 1, 1)}`` on the ``[0, 255]`` scale."""
        shape = (images.shape[0], 1, 1, 1)
        (add_low, add_high), (threshold_low, threshold_high) = self.addition_factor, self.threshold_factor
        return {
            "additions": self._uniform(shape, add_low, add_high * 255, images.device),
            "thresholds": self._uniform(shape, threshold_low, threshold_high * 255, images.device),
        }

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        additions = per_image(transformation["additions"], images)
        thresholds = per_image(transformation["thresholds"], images)
        results = (transform_value_range(images, self.value_range, (0, 255)) + additions).clamp(0, 255)
        results = torch.where(results < thresholds, results, 255 - results)
        return transform_value_range(results, (0, 255), self.value_range)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "addition_factor": list(self.addition_factor),
            "threshold_factor": list(self.threshold_factor),
            "value_range": self.value_range,
        }
