"""``ContrastLimitedAdaptiveHistogramEqualization``: CLAHE, histogram equalization per tile with a clip limit."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import torch

from fitorch.layers.preprocessing.base_image_augmentation import BaseImageAugmentation, check_value_range
from fitorch.layers.preprocessing.color_utils import transform_value_range
from fitorch.layers.preprocessing.image_utils import DATA_FORMAT_ARG, SAME_IMAGE_SHAPE
from fitorch.ops.image import _FIXERS
from fitorch.utils.docstrings import fill_doc


def _symmetric_pad(images: torch.Tensor, pad_h: int, pad_w: int) -> torch.Tensor:
    """Pads ``(B, C, H, W)`` at the bottom and right by mirroring with the edge repeated (NumPy's ``'symmetric'``)."""
    height, width = images.shape[2], images.shape[3]
    rows = _FIXERS["reflect"](torch.arange(height + pad_h, device=images.device), height)
    cols = _FIXERS["reflect"](torch.arange(width + pad_w, device=images.device), width)
    return images.index_select(2, rows).index_select(3, cols)


@fill_doc(data_format_arg=DATA_FORMAT_ARG, same_image_shape=SAME_IMAGE_SHAPE)
class ContrastLimitedAdaptiveHistogramEqualization(BaseImageAugmentation):
    """Contrast Limited Adaptive Histogram Equalization (CLAHE) of each channel.

    Improves local contrast: each image is cut into ``tile_grid_size`` tiles, each
    tile's 256-bin histogram (on the ``[0, 255]`` scale) is clipped at
    ``clip_limit * tile_pixels / 256`` with the excess spread over all bins, and each
    pixel is mapped through the cumulative histograms of its four nearest tiles,
    interpolated bilinearly. As in Keras: images whose size is not a multiple of the
    grid are padded by mirroring (bottom and right) and cropped back, pixel values
    are truncated to integers to pick their bin, and the layer is deterministic and
    applied in training and at inference alike. Integer images give integer images
    of the same dtype (the result truncated, as Keras casts it).

    This follows Keras' algorithm as its TensorFlow and JAX backends run it. Its torch
    backend differs in two places, where fitorch does not copy it: it counts the
    histograms in int64, which truncates the clip limit to an integer, and it pads
    by repeating the edge pixels instead of mirroring them. The results agree when
    the limit is a whole number and the grid divides the image.

    Args:
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        clip_limit: float, the histogram clip limit relative to a flat histogram
            (default ``4.0``); ``<= 0`` means no clipping.
        tile_grid_size: ``(rows, cols)``, the number of tiles (default ``(8, 8)``).
        {data_format_arg}

    Call arguments:
        inputs: images, a batch (rank 4) or a single image (rank 3).
        training: ignored: the layer always equalizes.

    {same_image_shape}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import ContrastLimitedAdaptiveHistogramEqualization
        >>> # One 1x4 gray image in one tile: each value maps to 255 * (its cumulative count) / 4.
        >>> image = torch.tensor([[[[100.0], [100.0], [110.0], [120.0]]]])
        >>> ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(1, 1), clip_limit=0)(image).flatten()
        tensor([127.5000, 127.5000, 191.2500, 255.0000])
    """

    def __init__(
        self,
        value_range: Sequence[float] = (0, 255),
        clip_limit: float = 4.0,
        tile_grid_size: Sequence[int] = (8, 8),
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=None, data_format=data_format, **kwargs)
        self.value_range = check_value_range(self, value_range)
        if not isinstance(clip_limit, Real) or isinstance(clip_limit, bool):
            raise ValueError(f"{self._owner}: clip_limit must be a number; received clip_limit={clip_limit!r}.")
        self.clip_limit = float(clip_limit)
        if (
            isinstance(tile_grid_size, (str, bytes))
            or not isinstance(tile_grid_size, Sequence)
            or len(tile_grid_size) != 2
            or not all(isinstance(t, Integral) and not isinstance(t, bool) and t >= 1 for t in tile_grid_size)
        ):
            raise ValueError(
                f"{self._owner}: tile_grid_size must be a pair of ints >= 1 (rows, cols); "
                f"received tile_grid_size={tile_grid_size!r}."
            )
        self.tile_grid_size = [int(t) for t in tile_grid_size]

    def get_random_transformation(self, images: torch.Tensor) -> None:
        """Nothing to draw."""
        return None

    def inference(self, images: torch.Tensor) -> torch.Tensor:
        """As in Keras, the layer equalizes at inference too."""
        batch = images if images.ndim == 4 else images.unsqueeze(0)
        outputs = self.transform_images(batch)
        return outputs if images.ndim == 4 else outputs.squeeze(0)

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        return super().call(inputs, training=False)

    def transform_images(self, images: torch.Tensor, transformation: Any = None) -> torch.Tensor:
        values = transform_value_range(images.to(torch.float32), self.value_range, (0, 255))
        if self.data_format == "channels_last":
            values = values.permute(0, 3, 1, 2)  # (B, H, W, C) -> (B, C, H, W)
        batch, channels, height, width = values.shape
        grid_h, grid_w = self.tile_grid_size
        tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
        padded = _symmetric_pad(values, tile_h * grid_h - height, tile_w * grid_w - width)  # (B, C, gh*th, gw*tw)
        pixels = padded.clamp(0, 255).to(torch.int64)  # truncation toward zero, as Keras' cast

        # (B, C, gh*th, gw*tw) -> (B, C, gh, gw, th*tw): the 256-bin histogram of each tile and channel.
        tiles = pixels.reshape(batch, channels, grid_h, tile_h, grid_w, tile_w).transpose(3, 4)
        tiles = tiles.reshape(batch, channels, grid_h, grid_w, tile_h * tile_w)
        hists = self._histograms(tiles)  # (B, C, gh, gw, 256)
        if self.clip_limit > 0:
            limit = self.clip_limit * (tile_h * tile_w) / 256.0
            clipped = hists.clamp(0, limit)
            hists = clipped + (hists - clipped).sum(dim=-1, keepdim=True) / 256.0
        cdf = hists.cumsum(dim=-1)  # (B, C, gh, gw, 256)
        cdf_min = cdf.amin(dim=-1, keepdim=True)
        denominator = tile_h * tile_w - cdf_min
        denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
        lookup = ((cdf - cdf_min) * 255.0 / denominator).clamp(0, 255)  # (B, C, gh, gw, 256)

        # Each pixel between the centres of its four nearest tiles; past the outer centres, the edge tile's.
        def neighbours(size: int, tile: int, grid: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
            position = (torch.arange(size, dtype=torch.float32, device=values.device) - tile / 2.0) / tile
            low = position.floor()
            return low.clamp(0, grid - 1).long(), (low + 1).clamp(0, grid - 1).long(), position - low

        y0, y1, wy = (t.view(1, 1, -1, 1) for t in neighbours(tile_h * grid_h, tile_h, grid_h))
        x0, x1, wx = (t.view(1, 1, 1, -1) for t in neighbours(tile_w * grid_w, tile_w, grid_w))
        b = torch.arange(batch, device=values.device).view(-1, 1, 1, 1)
        c = torch.arange(channels, device=values.device).view(1, -1, 1, 1)
        top = lookup[b, c, y0, x0, pixels] * (1 - wx) + lookup[b, c, y0, x1, pixels] * wx
        bottom = lookup[b, c, y1, x0, pixels] * (1 - wx) + lookup[b, c, y1, x1, pixels] * wx
        result = (top * (1 - wy) + bottom * wy)[:, :, :height, :width]  # (B, C, H, W)
        if self.data_format == "channels_last":
            result = result.permute(0, 2, 3, 1)
        return transform_value_range(result, (0, 255), self.value_range).to(images.dtype)

    @staticmethod
    def _histograms(tiles: torch.Tensor) -> torch.Tensor:
        """``(..., n)`` integer values in [0, 255] -> ``(..., 256)`` float32 counts, by one ``bincount``."""
        if tiles.is_meta:
            return tiles.new_zeros((*tiles.shape[:-1], 256), dtype=torch.float32)
        groups = tiles.shape[:-1].numel()
        offsets = torch.arange(groups, device=tiles.device).view(*tiles.shape[:-1], 1) * 256
        counts = torch.bincount((tiles + offsets).flatten(), minlength=groups * 256)
        return counts.view(*tiles.shape[:-1], 256).to(torch.float32)

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        """Integer images keep their dtype, as in Keras; floating images as the other augmentation layers."""
        if self._dtype is None and not input_dtype.is_floating_point and input_dtype != torch.bool:
            return input_dtype
        return super().compute_output_dtype(input_dtype)

    def get_config(self) -> dict[str, Any]:
        config = {
            **super().get_config(),
            "value_range": self.value_range,
            "clip_limit": self.clip_limit,
            "tile_grid_size": self.tile_grid_size,
        }
        del config["seed"]
        return config
