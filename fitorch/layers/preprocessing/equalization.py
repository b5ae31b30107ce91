"""``Equalization``: histogram equalization of each channel while training."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import (
    BaseImageAugmentation,
    augmentation_doc,
    check_value_range,
)


def _scale_values(values: torch.Tensor, source: Sequence[float], target: Sequence[float]) -> torch.Tensor:
    """Keras' ``Equalization._scale_values``: ``values * scale + offset`` (rounding as Keras does, for the bins)."""
    scale = (target[1] - target[0]) / (source[1] - source[0])
    return values * scale + (target[0] - source[0] * scale)


@augmentation_doc("equalize")
class Equalization(BaseImageAugmentation):
    """Equalizes the histogram of each channel while training, spreading its values over ``value_range``.

    As in Keras: on the ``[0, 255]`` scale, each channel's values are counted in ``bins``
    equal bins, and each value is replaced by ``round(255 * (cdf - cdf_min) / (n - cdf_min))``
    of its bin (``cdf`` the cumulative count, ``n`` the number of values); a channel whose
    values all fall in one bin is kept. Like Keras, the histogram of a channel is taken
    over the whole batch. Nothing is random; as in Keras the layer transforms only in
    training and is the identity at inference.

    Args:
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        bins: int >= 1, the number of histogram bins (default ``256``).
        {data_format_arg}

    {call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import Equalization
        >>> image = torch.tensor([[[[0.0], [10.0], [10.0], [20.0]]]])
        >>> Equalization()(image, training=True).flatten()
        tensor([  0., 170., 170., 255.])
    """

    def __init__(
        self, value_range: Sequence[float] = (0, 255), bins: int = 256, data_format: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(seed=None, data_format=data_format, **kwargs)
        if not isinstance(bins, Integral) or isinstance(bins, bool) or bins < 1:
            raise ValueError(f"{self._owner}: bins must be an int >= 1; received bins={bins!r}.")
        self.bins = int(bins)
        self.value_range = check_value_range(self, value_range)

    def get_random_transformation(self, images: torch.Tensor) -> None:
        """Nothing to draw."""
        return None

    def transform_images(self, images: torch.Tensor, transformation: Any = None) -> torch.Tensor:
        bins = self.bins
        channel_axis = -1 if self.data_format == "channels_last" else 1
        values = _scale_values(images, self.value_range, (0, 255)).movedim(channel_axis, 0)  # (C, B, H, W)
        channels = values.shape[0]
        flat = values.reshape(channels, -1).to(torch.float32)  # (C, N)
        # Keras' two binnings: the histogram from (v - 0) * (bins - 1) / 255, the lookup from v / 255 * (bins - 1).
        hist_index = ((flat - 0.0) * (bins - 1) / 255.0).to(torch.int32).clamp(0, bins - 1).long()
        offsets = torch.arange(channels, device=flat.device).unsqueeze(1) * bins
        counts = torch.bincount((hist_index + offsets).flatten(), minlength=channels * bins).reshape(channels, bins)
        cdf = counts.cumsum(dim=1)  # (C, bins)
        cdf_min = torch.where(cdf > 0, cdf, cdf[:, -1:]).amin(dim=1, keepdim=True)  # the first nonzero value
        denominator = cdf[:, -1:] - cdf_min
        denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
        lookup = torch.round((cdf - cdf_min) * 255 / denominator).clamp(0, 255)  # (C, bins)
        lookup_index = (flat / 255.0 * (bins - 1)).clamp(0, bins - 1).to(torch.int32).long()
        equalized = lookup.gather(1, lookup_index).to(values.dtype)
        keep = (counts > 0).sum(dim=1, keepdim=True) <= 1  # one occupied bin: the channel as it is
        equalized = torch.where(keep, flat.to(values.dtype), equalized).reshape(values.shape).movedim(0, channel_axis)
        return _scale_values(equalized, (0, 255), self.value_range)

    def get_config(self) -> dict[str, Any]:
        config = {**super().get_config(), "value_range": self.value_range, "bins": self.bins}
        del config["seed"]
        return config
