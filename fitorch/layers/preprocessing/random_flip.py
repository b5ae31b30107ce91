"""``RandomFlip``: flips images left-right and/or top-bottom at random while training."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentation, augmentation_doc

MODES = ("horizontal", "vertical", "horizontal_and_vertical")


@augmentation_doc("flip", training_note=" (on inside ``fit``, off in ``predict``)")
class RandomFlip(BaseImageAugmentation):
    """Randomly flips each image while training; the identity at inference.

    Use it at the start of an image model to augment the training data. Each image
    of the batch is flipped with probability 1/2. As in Keras 3, with
    ``mode='horizontal_and_vertical'`` one draw decides both flips, so an image is
    either flipped both ways (a 180° rotation) or left alone. Integer images give
    float outputs (``fitorch.config.floatx()``); floating images keep their dtype.

    Args:
        mode: ``'horizontal'`` (left-right), ``'vertical'`` (top-bottom) or
            ``'horizontal_and_vertical'`` (default).
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomFlip
        >>> image = torch.arange(4.0).reshape(1, 2, 2, 1)
        >>> layer = RandomFlip("horizontal", seed=0)
        >>> torch.equal(layer(image, training=False), image)
        True
        >>> layer.transform_images(image, {"flips": torch.tensor([True])})[0, :, :, 0]
        tensor([[1., 0.],
                [3., 2.]])
    """

    def __init__(
        self,
        mode: str = "horizontal_and_vertical",
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.mode = self._check_choice("mode", mode, MODES)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'flips': (B,) bool}``: which images of the batch flip."""
        return {"flips": self._uniform((images.shape[0],), 0.0, 1.0, images.device) <= 0.5}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        flips = transformation["flips"].to(images.device).reshape(-1, 1, 1, 1)
        height_axis, width_axis = self._spatial_axes()
        if self.mode in ("horizontal", "horizontal_and_vertical"):
            images = torch.where(flips, images.flip(width_axis), images)
        if self.mode in ("vertical", "horizontal_and_vertical"):
            images = torch.where(flips, images.flip(height_axis), images)
        return images

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mode": self.mode}
