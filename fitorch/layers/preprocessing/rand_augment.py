"""``RandAugment``: applies ``num_ops`` augmentation layers, chosen at random, in turn while training."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import torch

from fitorch.layers.preprocessing.base_augmentation_policy import BaseAugmentationPolicy
from fitorch.layers.preprocessing.base_image_augmentation import augmentation_doc

#: The operations, in Keras' order (a drawn index refers to this list).
AUGMENT_LAYERS = (
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
)


@augmentation_doc("augment")
class RandAugment(BaseAugmentationPolicy):
    """RandAugment (Cubuk et al., 2019): ``num_ops`` random augmentation operations applied in turn.

    An all-in-one augmentation policy for image classifiers. As in Keras, each call
    draws ``num_ops`` operations uniformly (with repetition) from shear, translation,
    rotation, brightness, color degeneration, contrast, sharpness, posterization,
    solarization, auto-contrast and equalization, and applies them to the whole batch;
    each operation's parameters are drawn once per call (per image, as that layer
    does), so an operation drawn twice applies the same change twice. All draws come
    from this layer's one random stream. The identity at inference.

    Args:
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        num_ops: int >= 0, the number of operations applied to each batch (default ``2``).
        factor: the strength of the operations, a number or a pair in ``[0, 1]``
            (default ``0.5``; a number ``f`` means ``(0, f)``). Each operation gets it
            as its own factor (posterization keeps ``max(1, int(8 * upper))`` bits).
        interpolation: ``'bilinear'`` (default) or ``'nearest'``, for shear,
            translation and rotation.
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import RandAugment
        >>> images = torch.rand(2, 8, 8, 3) * 255
        >>> augmented = RandAugment(num_ops=2, factor=0.5, seed=1)(images, training=True)
        >>> augmented.shape, bool(augmented.min() >= 0) and bool(augmented.max() <= 255)
        (torch.Size([2, 8, 8, 3]), True)
    """

    def __init__(
        self,
        value_range: Sequence[float] = (0, 255),
        num_ops: int = 2,
        factor: float | tuple[float, float] = 0.5,
        interpolation: str = "bilinear",
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(value_range, factor, interpolation, seed, data_format, **kwargs)
        if not isinstance(num_ops, Integral) or isinstance(num_ops, bool) or num_ops < 0:
            raise ValueError(f"{self._owner}: num_ops must be an int >= 0; received num_ops={num_ops!r}.")
        self.num_ops = int(num_ops)
        self.augmentations = self._augmentation_layers(AUGMENT_LAYERS)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, Any]:
        """``{'transforms': {name: that layer's draw}, 'layer_idxes': (num_ops,) indices into AUGMENT_LAYERS}``."""
        layer_idxes = torch.randint(0, len(AUGMENT_LAYERS), (self.num_ops,), generator=self._host_generator())
        transforms = {name: layer.get_random_transformation(images) for name, layer in self.augmentations.items()}
        return {"transforms": transforms, "layer_idxes": layer_idxes}

    def transform_images(self, images: torch.Tensor, transformation: dict[str, Any]) -> torch.Tensor:
        transforms = transformation["transforms"]
        # The indices choose for the whole batch: apply only the chosen layer (Keras computes all and selects).
        for index in torch.as_tensor(transformation["layer_idxes"]).tolist():
            name = AUGMENT_LAYERS[index]
            images = self.augmentations[name].transform_images(images, transforms[name])
        return images

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "num_ops": self.num_ops}
