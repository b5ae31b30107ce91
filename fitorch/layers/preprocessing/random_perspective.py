"""``RandomPerspective``: moves the corners of randomly chosen images while training (a perspective warp)."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import (
    INTERPOLATIONS,
    BaseImageAugmentation,
    augmentation_doc,
)
from fitorch.layers.preprocessing.color_utils import per_image
from fitorch.ops.image_warps import perspective_transform


@augmentation_doc("warp")
class RandomPerspective(BaseImageAugmentation):
    """Warps each image, with a random probability, as if seen from another angle, while training.

    As in Keras: per image, the warp is applied when a uniform draw falls below a
    probability drawn from ``[lower, upper]`` of ``factor``. The four corners
    ``(0, 0)``, ``(W - 1, 0)``, ``(0, H - 1)``, ``(W - 1, H - 1)`` each move to
    ``corner * (1 + d)``, with ``d`` drawn per coordinate from ``[-scale / 2, scale / 2]``
    (so the top-left corner stays), and the image follows through
    ``ops.image.perspective_transform``; uncovered points take ``fill_value``.
    The identity at inference.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (probabilities in ``[0, f]``) or a pair; default ``1.0``.
        scale: a float in ``[0, 1]``, the relative size of the corner moves; default ``1.0``.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_value: float, the value of points outside the image (default ``0.0``).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomPerspective
        >>> image = torch.ones(1, 4, 4, 1)
        >>> layer = RandomPerspective(scale=0.5)
        >>> corners = torch.tensor([[[0.0, 0.0], [3.0, 0.0], [0.0, 3.0], [3.0, 3.0]]])
        >>> shrink = {"apply_perspective": torch.tensor([True]), "start_points": corners,
        ...           "end_points": corners * 0.5}  # the image shrinks into the top-left quarter
        >>> layer.transform_images(image, shrink)[0, :, :, 0]
        tensor([[1., 1., 0., 0.],
                [1., 1., 0., 0.],
                [0., 0., 0., 0.],
                [0., 0., 0., 0.]])
    """

    _FACTOR_BOUNDS = (0.0, 1.0)

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        scale: float = 1.0,
        interpolation: str = "bilinear",
        fill_value: float = 0.0,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = self._parse_factor(factor)
        if not isinstance(scale, Real) or isinstance(scale, bool) or not 0.0 <= scale <= 1.0:
            raise ValueError(f"{self._owner}: scale must be a number in [0, 1]; received scale={scale!r}.")
        self.scale = float(scale)
        self.interpolation = self._check_choice("interpolation", interpolation, INTERPOLATIONS)
        self.fill_value = self._check_fill_value(fill_value)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'apply_perspective': (B,) bool, 'start_points': (B, 4, 2), 'end_points': (B, 4, 2)}``, ``(x, y)``."""
        batch, device = images.shape[0], images.device
        height, width = self._image_size(images)
        apply = self._apply_draws(batch, device)
        moves = self._uniform((batch, 4, 2), -0.5 * self.scale, 0.5 * self.scale, device)
        corners = torch.tensor([[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1], [width - 1, height - 1]],
                               device=device)  # fmt: skip
        start = corners.expand(batch, 4, 2)
        return {"apply_perspective": apply, "start_points": start, "end_points": start + start * moves}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        warped = perspective_transform(
            images,
            transformation["start_points"],
            transformation["end_points"],
            interpolation=self.interpolation,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )
        return torch.where(per_image(transformation["apply_perspective"], images), warped, images)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "factor": list(self.factor),
            "scale": self.scale,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
        }
