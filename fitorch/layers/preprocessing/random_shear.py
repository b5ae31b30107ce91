"""``RandomShear``: shears images by a random amount along x and y while training."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseAffineAugmentation, augmentation_doc, plain_factor


@augmentation_doc("shear")
class RandomShear(BaseAffineAugmentation):
    """Shears each image by random amounts along x and y while training.

    As in Keras: per image, ``s_x`` is drawn from ``[lower, upper]`` of ``x_factor`` and
    ``s_y`` from ``y_factor``, both multiplied by one random sign, and the output pixel
    ``(x, y)`` reads the input point ``(x + s_x y, s_y x + y)`` (a shear about the top-left
    corner). Uncovered points are filled according to ``fill_mode``. The identity at
    inference.

    Args:
        x_factor: a float ``f`` in ``[0, 1]`` (the range ``[-f, f]``) or a pair
            ``(lower, upper)`` (in ``[0, 1]`` for Keras; ``[-1, 1]`` accepted); default ``0.0``.
        y_factor: the same along y; default ``0.0``.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_mode: ``'reflect'`` (default), ``'wrap'``, ``'constant'`` or ``'nearest'``.
        fill_value: float, the fill value for ``fill_mode='constant'`` (default ``0.0``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomShear
        >>> image = torch.arange(1.0, 5.0).reshape(1, 2, 2, 1)
        >>> shear = RandomShear(x_factor=1.0, fill_mode="constant")
        >>> shear.transform_images(image, {"shear_factor": torch.tensor([[1.0, 0.0]])})[0, :, :, 0]
        tensor([[1., 2.],
                [4., 0.]])
    """

    def __init__(
        self,
        x_factor: float | tuple[float, float] = 0.0,
        y_factor: float | tuple[float, float] = 0.0,
        interpolation: str = "bilinear",
        fill_mode: str = "reflect",
        fill_value: float = 0.0,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.x_factor = self._shear_range(x_factor, "x_factor")
        self.y_factor = self._shear_range(y_factor, "y_factor")
        # The config keeps the arguments: Keras' parsed (-f, f) would not pass this validation again.
        self._factor_args = {"x_factor": plain_factor(x_factor), "y_factor": plain_factor(y_factor)}

    def _shear_range(self, factor: Any, name: str) -> tuple[float, float]:
        """Keras' rule here: a number ``f`` in ``[0, 1]`` gives ``(-f, f)``; a pair is sorted.

        A pair may hold numbers in ``[-1, 1]`` (Keras only takes ``[0, 1]``), so that the ``(-f, f)`` which
        Keras writes in its config for a number loads back.
        """
        pair = isinstance(factor, (tuple, list))
        values = list(factor) if pair else [factor]
        low = -1.0 if pair else 0.0
        if len(values) not in (1, 2) or not all(
            isinstance(v, Real) and not isinstance(v, bool) and low <= v <= 1.0 for v in values
        ):
            raise ValueError(
                f"{self._owner}: {name} must be a number in [0, 1] or a pair of numbers in [-1, 1]; "
                f"received {name}={factor!r}."
            )
        if isinstance(factor, (tuple, list)):
            lower, upper = sorted(float(v) for v in values)
            return lower, upper
        return -float(factor), float(factor)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'shear_factor': (B, 2)}``: ``(s_x, s_y)`` of each image."""
        shape, device = (images.shape[0], 1), images.device
        sign = self._random_sign(shape, device)
        shear_y = self._uniform(shape, self.y_factor[0], self.y_factor[1], device)
        shear_x = self._uniform(shape, self.x_factor[0], self.x_factor[1], device)
        return {"shear_factor": torch.cat([shear_x, shear_y], dim=1) * sign}

    def transform_matrix(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        shear = transformation["shear_factor"].to(device=images.device, dtype=torch.float32)
        ones, zeros = torch.ones_like(shear[:, :1]), torch.zeros_like(shear[:, :1])
        # [[1, s_x, 0], [s_y, 1, 0]]: output (x, y) reads input (x + s_x y, s_y x + y).
        return torch.cat([ones, shear[:, :1], zeros, shear[:, 1:], ones, zeros, zeros, zeros], dim=1)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), **self._factor_args}
