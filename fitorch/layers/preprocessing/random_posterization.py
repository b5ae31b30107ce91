"""``RandomPosterization``: keeps only a random number of high bits of each pixel while training."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    augmentation_doc,
    check_value_range,
)
from fitorch.layers.preprocessing.color_utils import transform_value_range

_MAX_BITS = 8


@augmentation_doc("posterize")
class RandomPosterization(BaseImageAugmentation):
    """Reduces each image to a random number of bits per channel while training.

    On the ``[0, 255]`` scale each pixel is truncated to an 8-bit integer and its lowest
    ``8 - bits`` bits are cleared; the result is mapped back to ``value_range``. As in
    Keras, ``bits`` is drawn per image as an integer in ``[lower, upper)`` of ``factor``
    (``upper`` excluded), or is ``lower`` when both ends are equal: ``factor=(4, 4)``
    always keeps 4 bits. The identity at inference.

    Args:
        factor: an int ``f`` in ``[1, 8]`` (the range ``(1, f)``) or a pair of ints.
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomPosterization
        >>> image = torch.tensor([[[[7.0], [200.0], [255.0]]]])
        >>> RandomPosterization((2, 2))(image, training=True).flatten()  # keep the 2 high bits
        tensor([  0., 192., 192.])
    """

    def __init__(
        self,
        factor: int | tuple[int, int],
        value_range: Sequence[float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        values = list(factor) if isinstance(factor, (tuple, list)) else [factor]
        if len(values) not in (1, 2) or not all(
            isinstance(v, Integral) and not isinstance(v, bool) and 1 <= v <= _MAX_BITS for v in values
        ):
            raise ValueError(
                f"{self._owner}: factor must be an int or a pair of ints in [1, 8] (bits to keep); "
                f"received factor={factor!r}."
            )
        lower, upper = sorted(int(v) for v in values) if len(values) == 2 else (1, int(factor))
        self.factor = (lower, upper)
        self.value_range = check_value_range(self, value_range)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'shift_factor': (B,) int}``: the number of low bits to clear in each image."""
        lower, upper = self.factor
        batch = images.shape[0]
        if lower != upper:
            bits = torch.randint(lower, upper, (batch,), generator=self._generator(images.device), device=images.device)
        else:
            bits = torch.full((batch,), lower, device=images.device)
        return {"shift_factor": _MAX_BITS - bits}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        shift = transformation["shift_factor"].to(device=images.device, dtype=torch.uint8).reshape(-1, 1, 1, 1)
        pixels = transform_value_range(images, self.value_range, (0, 255)).to(torch.uint8)  # truncates, as Keras
        pixels = torch.bitwise_left_shift(torch.bitwise_right_shift(pixels, shift), shift)
        return transform_value_range(pixels.to(images.dtype), (0, 255), self.value_range)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": list(self.factor), "value_range": self.value_range}
