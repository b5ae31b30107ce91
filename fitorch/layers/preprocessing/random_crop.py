"""``RandomCrop``: crops a random window of a fixed size while training."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentation, Shape, augmentation_doc
from fitorch.layers.preprocessing.image_utils import resized_shape
from fitorch.layers.preprocessing.resizing import resize_images


@augmentation_doc("crop")
class RandomCrop(BaseImageAugmentation):
    """Crops a random ``(height, width)`` window of the images while training.

    All images of a batch are cropped at the same place, as in Keras. At inference,
    and in training when an image is smaller than the target, the largest centred
    window with the target's aspect ratio is cropped and resized (bilinear) to
    ``(height, width)``, the behaviour Keras documents. (Keras 3.15 on the torch
    backend instead returns inference inputs uncropped, which contradicts its own
    output shape; and in training it crops at a fixed centred place, rather than at a
    random one, along an axis whose size already equals the target's.) The crop
    offsets are drawn on the CPU, so the layer never waits on the accelerator.

    Args:
        height: int, the output height.
        width: int, the output width.
        {seed_and_format_args}

    Call arguments:
        inputs: images, a batch (rank 4) or a single image (rank 3).
        training: ``True`` for a random crop, ``False`` for the centred resize;
            ``None`` (default) follows ``self.training``.

    {resized_image_shape}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandomCrop
        >>> image = torch.arange(16.0).reshape(1, 4, 4, 1)
        >>> layer = RandomCrop(2, 2, seed=0)
        >>> layer(image, training=True).shape
        torch.Size([1, 2, 2, 1])
        >>> layer.transform_images(image, (1, 2))[0, :, :, 0]
        tensor([[ 6.,  7.],
                [10., 11.]])
    """

    def __init__(
        self, height: int, width: int, seed: int | None = None, data_format: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        for name, value in (("height", height), ("width", width)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"{self._owner}: {name} must be a positive int; received {name}={value!r}.")
        self.height, self.width = height, width

    def get_random_transformation(self, images: torch.Tensor) -> tuple[int, int] | None:
        """``(top, left)`` of the window, or ``None`` when an image is smaller than the target."""
        height, width = self._image_size(images)
        if height < self.height or width < self.width:
            return None
        generator = self._generator(torch.device("cpu"))
        top = int(torch.randint(0, height - self.height + 1, (), generator=generator))
        left = int(torch.randint(0, width - self.width + 1, (), generator=generator))
        return top, left

    def transform_images(self, images: torch.Tensor, transformation: tuple[int, int] | None) -> torch.Tensor:
        if transformation is None:
            return self.inference(images)
        top, left = transformation
        height_axis, width_axis = self._spatial_axes()
        cropped = images.narrow(height_axis, top, self.height).narrow(width_axis, left, self.width)
        if cropped.shape[height_axis] != self.height or cropped.shape[width_axis] != self.width:
            return resize_images(cropped, (self.height, self.width), data_format=self.data_format)
        return cropped

    def inference(self, images: torch.Tensor) -> torch.Tensor:
        """The largest centred window with the target aspect ratio, resized to ``(height, width)``."""
        return resize_images(images, (self.height, self.width), crop_to_aspect_ratio=True, data_format=self.data_format)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return resized_shape(self._owner, input_shape, self.height, self.width, self.data_format)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "height": self.height, "width": self.width}
