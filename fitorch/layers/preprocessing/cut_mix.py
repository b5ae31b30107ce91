"""``CutMix``: pastes a random box of another image of the batch into each image while training."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import augmentation_doc
from fitorch.layers.preprocessing.base_mixing import BaseMixingAugmentation, box_masks


@augmentation_doc("cut and mix", training_note="; a dict ``{'images': ..., 'labels': ...}`` mixes the labels too")
class CutMix(BaseMixingAugmentation):
    """Replaces a random box of each image by the same box of another image of the batch (CutMix, Yun et al. 2019).

    As in Keras: ``alpha`` is drawn once per batch from ``[lower, upper]`` of ``factor``,
    then per image ``w ~ Beta(alpha, alpha)``; the box has sides ``sqrt(1 - w)`` times
    the image's and a uniform random position, and its pixels come from the image that a
    random permutation of the batch pairs it with. Labels (in the dict form
    ``{"images": ..., "labels": ...}``) are mixed by the share of the image each source
    keeps. The identity at inference.

    Args:
        factor: a float ``f`` in ``[0, 1]`` (the range ``(0, f)`` of ``alpha``) or a pair
            in ``[0, 1]``; default ``1.0``.
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import CutMix
        >>> layer = CutMix()
        >>> masks = layer.batch_masks((2, 4, 4, 1), *torch.tensor([[0.0, 1.0], [2.0, 4.0], [0.0, 1.0], [2.0, 4.0]]))
        >>> masks[0, :, :, 0].int()  # the box x, y in [0, 2)
        tensor([[1, 1, 0, 0],
                [1, 1, 0, 0],
                [0, 0, 0, 0],
                [0, 0, 0, 0]], dtype=torch.int32)
    """

    _FACTOR_BOUNDS = (0.0, 1.0)

    def __init__(
        self,
        factor: float | tuple[float, float] = 1.0,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = self._parse_factor(factor)

    def batch_masks(
        self, images_shape: tuple[int, ...], x0: torch.Tensor, x1: torch.Tensor, y0: torch.Tensor, y1: torch.Tensor
    ) -> torch.Tensor:
        """The boolean masks of the boxes ``[x0, x1) x [y0, y1)`` (each ``(B,)``), shaped like the images.

        Returns:
            ``(B, H, W, C)`` (or ``(B, C, H, W)``) booleans, ``True`` inside each image's box.
        """
        return box_masks(images_shape, x0, x1, y0, y1, self.data_format)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'permutation_order': (B,), 'batch_masks': like images, 'mix_weight': (B,)}``."""
        batch, device = images.shape[0], images.device
        height, width = self._image_size(images)
        alpha = 1.0  # (shape inference on meta draws nothing real)
        if device.type != "meta":
            alpha = float(self._uniform((), self.factor[0], self.factor[1], device)) + 1e-6  # one per batch
        ratio = torch.sqrt(1.0 - self._beta((batch,), alpha, device))
        x0, x1, y0, y1 = self._random_boxes(images, ratio, ratio)
        return {
            "permutation_order": self._permutation(batch, device),
            "batch_masks": self.batch_masks(tuple(images.shape), x0, x1, y0, y1),
            "mix_weight": 1.0 - (x1 - x0) * (y1 - y0) / (width * height),
        }

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        order = transformation["permutation_order"].to(device=images.device, dtype=torch.long)
        masks = transformation["batch_masks"].to(images.device)
        return torch.where(masks, images.index_select(0, order), images)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": list(self.factor)}
