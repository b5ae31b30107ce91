"""``RandomContrast``: scales each image's contrast by a random factor while training."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentation


def check_value_range(layer: BaseImageAugmentation, value_range: Any) -> list[float]:
    """Returns ``value_range`` as a sorted ``[low, high]`` after checking it is a pair of numbers."""
    if (
        isinstance(value_range, (str, bytes))
        or not isinstance(value_range, Sequence)
        or len(value_range) != 2
        or not all(isinstance(v, Real) and not isinstance(v, bool) for v in value_range)
    ):
        raise ValueError(
            f"{layer._owner}: value_range must be a pair of numbers (low, high); received value_range={value_range!r}."
        )
    return sorted(float(v) for v in value_range)


class RandomContrast(BaseImageAugmentation):
    """Adjusts the contrast of each image by a random factor while training.

    For each image and channel, ``(x - mean) * c + mean`` where ``mean`` is the
    channel's mean over the pixels and ``c`` is drawn per image from
    ``[1 - lower, 1 + upper]``; the result is clipped to ``value_range``. Keras
    parses ``factor`` with bounds ``[0, 1]``: a single float ``f`` gives
    ``(lower, upper) = (0, f)``, so ``c`` lies in ``[1, 1 + f]``; a pair
    ``(lower, upper)`` gives ``c`` in ``[1 - lower, 1 + upper]``. The identity at
    inference.

    Args:
        factor: a float or a pair of floats in ``[0, 1]`` (see above).
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        seed: optional int; when given, the draws repeat exactly from run to run.
        data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` takes
            ``fitorch.config.image_data_format()``.

    Call arguments:
        inputs: images, a batch (rank 4) or a single image (rank 3).
        training: ``True`` to adjust, ``False`` for the identity; ``None`` (default)
            follows ``self.training``.

    Input shape:
        ``(batch, height, width, channels)`` or ``(height, width, channels)``
        (channels_last), or the channels_first equivalents.

    Output shape:
        Same as the input.

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomContrast
        >>> image = torch.tensor([[[[10.0], [30.0]]]])  # mean 20
        >>> RandomContrast((0.0, 1.0), seed=0).transform_images(image, {"contrast_factor": torch.tensor([2.0])})
        tensor([[[[ 0.],
                  [40.]]]])
    """

    _FACTOR_BOUNDS = (0.0, 1.0)

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = self._parse_factor(factor)
        self.value_range = check_value_range(self, value_range)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'contrast_factor': (B,)}``."""
        lower, upper = self.factor
        return {"contrast_factor": self._uniform((images.shape[0],), 1.0 - lower, 1.0 + upper, images.device)}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        factor = transformation["contrast_factor"].to(device=images.device, dtype=images.dtype).reshape(-1, 1, 1, 1)
        mean = images.mean(dim=self._spatial_axes(), keepdim=True)  # (B, 1, 1, C) or (B, C, 1, 1)
        outputs = (images - mean) * factor + mean
        return outputs.clamp(self.value_range[0], self.value_range[1])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": list(self.factor), "value_range": self.value_range}
