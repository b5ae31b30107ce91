"""What the color augmentation layers (``Solarization``, ``RandomHue`` ...) share: moving pixel values
between value ranges, as Keras' ``BaseImagePreprocessingLayer._transform_value_range`` does."""

from __future__ import annotations

from collections.abc import Sequence

import torch


def transform_value_range(
    images: torch.Tensor, original_range: Sequence[float], target_range: Sequence[float]
) -> torch.Tensor:
    """Maps ``images`` linearly from ``original_range`` to ``target_range`` (unchanged when they are equal).

    Args:
        images: floating images.
        original_range: ``(low, high)`` the values are in.
        target_range: ``(low, high)`` to map them to.

    Returns:
        The mapped images, same shape and dtype.

    Example:
        >>> import torch
        >>> transform_value_range(torch.tensor([0.0, 0.5, 1.0]), (0, 1), (0, 255))
        tensor([  0.0000, 127.5000, 255.0000])
    """
    if original_range[0] == target_range[0] and original_range[1] == target_range[1]:
        return images
    unit = (images - original_range[0]) / (original_range[1] - original_range[0])  # values in [0, 1]
    return unit * (target_range[1] - target_range[0]) + target_range[0]


def per_image(values: torch.Tensor, images: torch.Tensor) -> torch.Tensor:
    """Per-image ``values`` (``(B,)`` or ``(B, 1, 1, 1)``) as ``(B, 1, 1, 1)`` on ``images``' device and dtype.

    Example:
        >>> import torch
        >>> per_image(torch.tensor([1, 2]), torch.zeros(2, 4, 4, 3)).shape
        torch.Size([2, 1, 1, 1])
    """
    dtype = images.dtype if values.dtype != torch.bool else torch.bool
    return values.to(device=images.device, dtype=dtype).reshape(-1, 1, 1, 1)
