"""``Resizing``: resizes images to a fixed height and width, as Keras' torch backend does."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch
import torch.nn.functional as F

from fitorch import config
from fitorch.layers.layer import Layer
from fitorch.layers.preprocessing.image_utils import (
    IMAGE_SECTIONS,
    Shape,
    check_image_rank,
    resized_shape,
)
from fitorch.utils.docstrings import fill_doc

#: Keras interpolation names -> ``F.interpolate`` modes (Keras' torch backend uses "nearest-exact").
INTERPOLATIONS = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}


def resize_images(
    images: torch.Tensor,
    size: tuple[int, int],
    interpolation: str = "bilinear",
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_value: float = 0.0,
    data_format: str = "channels_last",
) -> torch.Tensor:
    """Resizes a batch ``(B, H, W, C)`` (or ``(B, C, H, W)``) or a single image, like ``keras.ops.image.resize``.

    Integer images are resized in float32, rounded and cast back (``uint8``
    bicubic results are clamped to ``[0, 255]`` first).
    """
    squeeze = images.ndim == 3
    if squeeze:
        images = images.unsqueeze(0)
    out_dtype = images.dtype
    if out_dtype not in (torch.float32, torch.float64):
        images = images.to(torch.float32)
    if data_format == "channels_last":
        images = images.permute(0, 3, 1, 2)  # (B, H, W, C) -> (B, C, H, W), a channels_last view, no copy
    height, width = images.shape[-2], images.shape[-1]
    target_height, target_width = size
    if crop_to_aspect_ratio:
        # The largest centred window with the target's aspect ratio (Keras' integer arithmetic).
        crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
        crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
        top = int(float(height - crop_height) / 2)
        left = int(float(width - crop_width) / 2)
        images = images[:, :, top : top + crop_height, left : left + crop_width]
    elif pad_to_aspect_ratio:
        pad_height = max(height, int(float(width * target_height) / target_width))
        pad_width = max(width, int(float(height * target_width) / target_height))
        top = int(float(pad_height - height) / 2)
        left = int(float(pad_width - width) / 2)
        images = F.pad(images, (left, left, top, top), value=fill_value)
    mode = INTERPOLATIONS[interpolation]
    resized = F.interpolate(
        images,
        size=(target_height, target_width),
        mode=mode,
        align_corners=False if mode in ("bilinear", "bicubic") else None,
        antialias=antialias and mode in ("bilinear", "bicubic"),
    )
    if interpolation == "bicubic" and out_dtype == torch.uint8:
        resized = resized.clamp(0, 255)
    if data_format == "channels_last":
        resized = resized.permute(0, 2, 3, 1)
    if squeeze:
        resized = resized.squeeze(0)
    if resized.dtype != out_dtype:
        resized = torch.round(resized).to(out_dtype) if not out_dtype.is_floating_point else resized.to(out_dtype)
    return resized


@fill_doc(**IMAGE_SECTIONS)
class Resizing(Layer):
    """Resizes images to ``(height, width)``.

    Use it at the start of an image model so it accepts images of any size. The
    numbers are those of Keras' torch backend (``F.interpolate`` with
    ``align_corners=False``; ``'nearest'`` is torch's ``'nearest-exact'``, i.e.
    half-pixel centres, like TensorFlow). ``antialias`` has the same meaning as in
    Keras: when downsampling with ``'bilinear'``/``'bicubic'``, ``antialias=True``
    widens the filter to avoid aliasing (torch's antialiased kernel, which Keras'
    torch backend also calls); Keras' JAX and TensorFlow backends use their own
    antialiasing filters, whose values differ slightly from torch's. Integer images
    keep their dtype (the result is rounded).

    Args:
        height: int, the output height.
        width: int, the output width.
        interpolation: ``'bilinear'`` (default), ``'nearest'`` or ``'bicubic'``
            (Keras' ``'lanczos3'``/``'lanczos5'`` are not available in torch, nor in
            Keras' torch backend).
        crop_to_aspect_ratio: if ``True``, first crop the largest centred window with
            the target aspect ratio, so the image is not distorted (default ``False``).
        pad_to_aspect_ratio: if ``True``, first pad the short side evenly with
            ``fill_value`` to the target aspect ratio (default ``False``).
        fill_mode: only ``'constant'``, the padding mode.
        fill_value: float, the padding value (default ``0.0``).
        antialias: whether to antialias when downsampling (default ``False``).
        {data_format_arg}

    {resize_call_and_shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import Resizing
        >>> Resizing(2, 2)(torch.arange(16.0).reshape(1, 4, 4, 1))[0, :, :, 0]
        tensor([[ 2.5000,  4.5000],
                [10.5000, 12.5000]])
        >>> Resizing(64, 64, crop_to_aspect_ratio=True)(torch.rand(2, 30, 40, 3)).shape
        torch.Size([2, 64, 64, 3])
    """

    def __init__(
        self,
        height: int,
        width: int,
        interpolation: str = "bilinear",
        crop_to_aspect_ratio: bool = False,
        pad_to_aspect_ratio: bool = False,
        fill_mode: str = "constant",
        fill_value: float = 0.0,
        antialias: bool = False,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        for name, value in (("height", height), ("width", width)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Resizing {self.name!r}: {name} must be a positive int; received {name}={value!r}.")
        if interpolation in ("lanczos3", "lanczos5"):
            raise ValueError(
                f"Resizing {self.name!r}: interpolation={interpolation!r} is not available in torch (nor in Keras' "
                f"torch backend); use one of {sorted(INTERPOLATIONS)}."
            )
        if interpolation not in INTERPOLATIONS:
            raise ValueError(
                f"Resizing {self.name!r}: interpolation must be one of {sorted(INTERPOLATIONS)}; received "
                f"interpolation={interpolation!r}."
            )
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                f"Resizing {self.name!r}: only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True."
            )
        if fill_mode != "constant":
            raise ValueError(f"Resizing {self.name!r}: fill_mode must be 'constant'; received fill_mode={fill_mode!r}.")
        if not isinstance(fill_value, Real) or isinstance(fill_value, bool):
            raise ValueError(f"Resizing {self.name!r}: fill_value must be a float; received fill_value={fill_value!r}.")
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode = fill_mode
        self.fill_value = float(fill_value)
        self.antialias = bool(antialias)
        self.data_format = config.standardize_data_format(data_format)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        check_image_rank(f"Resizing {self.name!r}", inputs.shape)
        return resize_images(
            inputs,
            (self.height, self.width),
            interpolation=self.interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return resized_shape(f"Resizing {self.name!r}", input_shape, self.height, self.width, self.data_format)

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        return input_dtype

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "height": self.height,
            "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode,
            "fill_value": self.fill_value,
            "antialias": self.antialias,
            "data_format": self.data_format,
        }
