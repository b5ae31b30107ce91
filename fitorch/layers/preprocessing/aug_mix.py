"""``AugMix``: mixes the images with chains of random augmentations while training."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import torch

from fitorch.layers.preprocessing.base_augmentation_policy import BaseAugmentationPolicy
from fitorch.layers.preprocessing.base_image_augmentation import augmentation_doc

#: The operations with ``all_ops=True``, in Keras' order.
AUGMENT_LAYERS_ALL = (
    "random_shear",
    "random_translation",
    "random_rotation",
    "random_posterization",
    "solarization",
    "auto_contrast",
    "equalization",
    "random_brightness",
    "random_color_degeneration",
    "random_contrast",
    "random_sharpness",
)
#: The operations with ``all_ops=False`` (those that do not overlap common test-set corruptions).
AUGMENT_LAYERS = AUGMENT_LAYERS_ALL[:7]


@augmentation_doc("mix in augmentation chains")
class AugMix(BaseAugmentationPolicy):
    """AugMix (Hendrycks et al., 2020): the images mixed with ``num_chains`` chains of random augmentations.

    Augments while keeping the image's meaning and local statistics, for robust classifiers.
    As in Keras, each call draws, for the whole batch: chain weights ``w`` from a
    Dirichlet(``alpha``) distribution, a mixing weight ``m`` from Beta(``alpha``,
    ``alpha``), and for each chain ``chain_depth`` picks among the operations and
    "none" (so a chain applies 0 to ``chain_depth`` operations). Each chain starts from
    the images; the output is ``m * images + (1 - m) * sum_i w_i * chain_i(images)``,
    clipped to ``value_range``. The identity at inference.

    Unlike Keras, which picks the operations with Python's unseeded ``random`` module,
    every draw comes from this layer's random stream, so a ``seed`` repeats the picks too.

    Args:
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        num_chains: int >= 1, the number of chains mixed (default ``3``).
        chain_depth: int >= 0, the most operations in a chain (default ``3``).
        factor: the strength of the operations, a number or a pair in ``[0, 1]``
            (default ``0.3``; a number ``f`` means ``(0, f)``).
        alpha: float > 0, the parameter of the Dirichlet and Beta draws (default ``1.0``).
        all_ops: bool; ``True`` (default) adds brightness, color degeneration, contrast
            and sharpness to shear, translation, rotation, posterization, solarization,
            auto-contrast and equalization.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``, for the geometric operations.
        {seed_and_format_args}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import AugMix
        >>> images = torch.rand(2, 8, 8, 3)
        >>> mixed = AugMix(value_range=(0, 1), seed=3)(images, training=True)
        >>> mixed.shape, bool(mixed.min() >= 0) and bool(mixed.max() <= 1)
        (torch.Size([2, 8, 8, 3]), True)
    """

    def __init__(
        self,
        value_range: Sequence[float] = (0, 255),
        num_chains: int = 3,
        chain_depth: int = 3,
        factor: float | tuple[float, float] = 0.3,
        alpha: float = 1.0,
        all_ops: bool = True,
        interpolation: str = "bilinear",
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(value_range, factor, interpolation, seed, data_format, **kwargs)
        for name, value, least in (("num_chains", num_chains, 1), ("chain_depth", chain_depth, 0)):
            if not isinstance(value, Integral) or isinstance(value, bool) or value < least:
                raise ValueError(f"{self._owner}: {name} must be an int >= {least}; received {name}={value!r}.")
        if not isinstance(alpha, Real) or isinstance(alpha, bool) or not alpha > 0:
            raise ValueError(f"{self._owner}: alpha must be a number > 0; received alpha={alpha!r}.")
        if not isinstance(all_ops, bool):
            raise TypeError(f"{self._owner}: all_ops must be a bool; received all_ops={all_ops!r}.")
        self.num_chains = int(num_chains)
        self.chain_depth = int(chain_depth)
        self.alpha = float(alpha)
        self.all_ops = all_ops
        self.augmentations = self._augmentation_layers(AUGMENT_LAYERS_ALL if all_ops else AUGMENT_LAYERS)

    def get_random_transformation(self, images: torch.Tensor) -> dict[str, Any]:
        """Keras' format: ``chain_mixing_weights`` ``(num_chains,)``, ``weight_sample`` (a scalar) and
        ``chain_transforms``, one list per chain of ``{'layer_name', 'transformation'}``."""
        rng = self._numpy_generator()
        chain_mixing_weights = torch.as_tensor(rng.dirichlet([self.alpha] * self.num_chains), dtype=torch.float32)
        weight_sample = torch.tensor(rng.beta(self.alpha, self.alpha), dtype=torch.float32)
        names = list(self.augmentations)
        picks = rng.integers(0, len(names) + 1, size=(self.num_chains, self.chain_depth))  # len(names): "none"
        chain_transforms = [
            [
                {"layer_name": names[pick], "transformation": self.augmentations[names[pick]].get_random_transformation(images)}
                for pick in chain.tolist()
                if pick < len(names)
            ]
            for chain in picks
        ]
        return {
            "chain_mixing_weights": chain_mixing_weights,
            "weight_sample": weight_sample,
            "chain_transforms": chain_transforms,
        }

    def transform_images(self, images: torch.Tensor, transformation: dict[str, Any]) -> torch.Tensor:
        weights = torch.as_tensor(transformation["chain_mixing_weights"]).to(images.device, images.dtype)
        mix = torch.as_tensor(transformation["weight_sample"]).to(images.device, images.dtype)
        augmented = torch.zeros_like(images)
        for index, chain in enumerate(transformation["chain_transforms"]):
            chain_images = images
            for step in chain:
                chain_images = self.augmentations[step["layer_name"]].transform_images(
                    chain_images, step["transformation"]
                )
            augmented = augmented + chain_images * weights[index]
        mixed = mix * images + (1 - mix) * augmented
        return mixed.clamp(self.value_range[0], self.value_range[1])

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_chains": self.num_chains,
            "chain_depth": self.chain_depth,
            "alpha": self.alpha,
            "all_ops": self.all_ops,
        }
