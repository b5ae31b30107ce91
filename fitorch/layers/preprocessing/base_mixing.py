"""The shared parent of ``MixUp`` and ``CutMix``: layers that mix each image with another image of its batch.

Such layers change the labels too, so besides a batch of images they take Keras' dict form
``{"images": ..., "labels": ...}`` and return the same keys, the labels mixed in the same
proportions as the images.
"""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentation
from fitorch.layers.preprocessing.image_utils import check_image_rank

_KEYS = ("images", "labels")


def box_masks(
    images_shape: tuple[int, ...],
    x0: torch.Tensor,
    x1: torch.Tensor,
    y0: torch.Tensor,
    y1: torch.Tensor,
    data_format: str = "channels_last",
) -> torch.Tensor:
    """Boolean masks of the boxes ``[x0, x1) x [y0, y1)`` (each ``(B,)``, in pixels), shaped like the images.

    A pixel ``(row y, column x)`` is inside when ``x0 <= x < x1`` and ``y0 <= y < y1``, as in
    Keras' ``CutMix`` and ``RandomErasing``.

    Example:
        >>> import torch
        >>> one = torch.tensor([1.0])
        >>> box_masks((1, 3, 3, 1), one, 3 * one, 0 * one, one)[0, :, :, 0].int()
        tensor([[0, 1, 1],
                [0, 0, 0],
                [0, 0, 0]], dtype=torch.int32)
    """
    channels_last = data_format == "channels_last"
    height, width = (images_shape[1], images_shape[2]) if channels_last else (images_shape[2], images_shape[3])
    device = x0.device
    ys = torch.arange(height, dtype=torch.float32, device=device).view(1, height, 1)
    xs = torch.arange(width, dtype=torch.float32, device=device).view(1, 1, width)
    x0, x1, y0, y1 = (v.to(torch.float32).view(-1, 1, 1) for v in (x0, x1, y0, y1))
    masks = (xs >= x0) & (xs < x1) & (ys >= y0) & (ys < y1)  # (B, H, W)
    return masks.unsqueeze(-1 if channels_last else 1).expand(*images_shape)


class BaseMixingAugmentation(BaseImageAugmentation):
    """Base class of the augmentation layers that mix images (and their labels) across a batch.

    Subclasses draw ``{'permutation_order': (B,), 'mix_weight': (B,), ...}`` in
    ``get_random_transformation``; ``transform_labels`` then gives each label
    ``w * label + (1 - w) * label[permutation_order]``.
    """

    def _beta(self, shape: tuple[int, ...], alpha: float, device: torch.device) -> torch.Tensor:
        """Beta(alpha, alpha) float32 draws, reproducible from this layer's generator (or torch's global state)."""
        if device.type == "meta":
            return torch.empty(shape, device=device)
        values = self._numpy_generator(device).beta(alpha, alpha, size=shape)
        return torch.as_tensor(values, dtype=torch.float32, device=device)

    def _permutation(self, batch: int, device: torch.device) -> torch.Tensor:
        return torch.randperm(batch, generator=self._generator(device), device=device)

    def transform_labels(self, labels: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        """Mixes ``labels`` (``(B, ...)``, e.g. one-hot) with the permuted labels by ``mix_weight``."""
        labels = torch.as_tensor(labels)
        dtype = labels.dtype if labels.is_floating_point() else torch.float32
        labels = labels.to(dtype)
        order = transformation["permutation_order"].to(device=labels.device, dtype=torch.long)
        weight = transformation["mix_weight"].to(device=labels.device, dtype=dtype)
        weight = weight.reshape(-1, *([1] * (labels.ndim - 1)))  # (B, 1, ...)
        return weight * labels + (1.0 - weight) * labels.index_select(0, order)

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        if not isinstance(inputs, dict):
            return super().call(inputs, training=training)
        unknown = sorted(set(inputs) - set(_KEYS))
        if "images" not in inputs or unknown:
            raise ValueError(
                f"{self._owner}: a dict input must have the key 'images' and may have 'labels'; "
                f"received keys {sorted(inputs)}."
            )
        images = torch.as_tensor(inputs["images"])
        check_image_rank(self._owner, images.shape)
        images = images.to(self.compute_output_dtype(images.dtype))
        outputs = dict(inputs, images=images)
        training = self.training if training is None else bool(training)
        if not training:
            return outputs
        batch = images if images.ndim == 4 else images.unsqueeze(0)
        transformation = self.get_random_transformation(batch)
        mixed = self.transform_images(batch, transformation)
        outputs["images"] = mixed if images.ndim == 4 else mixed.squeeze(0)
        if "labels" in inputs:
            labels = torch.as_tensor(inputs["labels"], device=images.device)
            outputs["labels"] = self.transform_labels(labels if images.ndim == 4 else labels[None], transformation)
            if images.ndim == 3:
                outputs["labels"] = outputs["labels"].squeeze(0)
        return outputs
