"""``MixUp``: blends each image (and its label) with another of the batch while training."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import augmentation_doc
from fitorch.layers.preprocessing.base_mixing import BaseMixingAugmentation
from fitorch.layers.preprocessing.color_utils import per_image


@augmentation_doc("mix", training_note="; a dict ``{'images': ..., 'labels': ...}`` mixes the labels too")
class MixUp(BaseMixingAugmentation):
    """Blends each image with another image of its batch while training (MixUp, Zhang et al. 2017).

    A weight ``w ~ Beta(alpha, alpha)`` is drawn per image and a random permutation of the
    batch picks the partner: ``w * x + (1 - w) * x[perm]``. Called on a dict
    ``{"images": ..., "labels": ...}`` (one-hot or soft labels), the labels are mixed with
    the same weights, as in Keras. The identity at inference.

    Args:
        alpha: float > 0, the concentration of the Beta distribution (default ``0.2``);
            small values keep most images close to one of the pair.
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import MixUp
        >>> batch = {"images": torch.tensor([[[[0.0]]], [[[1.0]]]]), "labels": torch.tensor([[1.0, 0.0], [0.0, 1.0]])}
        >>> out = MixUp(alpha=0.2, seed=0)(batch, training=True)
        >>> torch.allclose(out["images"].flatten(), out["labels"][:, 1])  # image and label mixed alike
        True
    """

    def __init__(self, alpha: float = 0.2, data_format: str | None = None, seed: int | None = None, **kwargs: Any):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if not isinstance(alpha, Real) or isinstance(alpha, bool) or not alpha > 0:
            raise ValueError(f"{self._owner}: alpha must be a float > 0; received alpha={alpha!r}.")
        self.alpha = float(alpha)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        """``{'mix_weight': (B,), 'permutation_order': (B,)}``."""
        batch = images.shape[0]
        order = self._permutation(batch, images.device)
        return {"mix_weight": self._beta((batch,), self.alpha, images.device), "permutation_order": order}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, torch.Tensor]) -> torch.Tensor:
        weight = per_image(transformation["mix_weight"], images)
        order = transformation["permutation_order"].to(device=images.device, dtype=torch.long)
        return weight * images + (1.0 - weight) * images.index_select(0, order)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "alpha": self.alpha}
