"""Image ops (``keras.ops.image``) on ``(batch, height, width, channels)`` tensors by default.

Every op takes ``data_format`` (``'channels_last'`` unless ``fitorch.config`` says
otherwise) and also accepts one unbatched image. Resizing is ``F.interpolate`` as in
Keras' torch backend; sampling follows Keras' ``map_coordinates`` (order 0 or 1). The filters
(``gaussian_blur``, ``sobel_edges``, ``ssim``) live in ``image_filters.py`` and the warps
(``perspective_transform``, ``elastic_transform``, ``scale_and_translate``) in ``image_warps.py``.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> images = torch.rand(2, 8, 8, 3)
    >>> ops.image.resize(images, (4, 6)).shape
    torch.Size([2, 4, 6, 3])
    >>> ops.image.rgb_to_grayscale(images).shape
    torch.Size([2, 8, 8, 1])
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from fitorch import config
from fitorch.ops.dtypes import convert
from fitorch.ops.nn_conv import conv
from fitorch.ops.registry import keras_op

_RESIZE = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}


def _images(images: Any, op: str, ranks: tuple[int, ...] = (3, 4)) -> torch.Tensor:
    images = convert(images)
    if images.ndim not in ranks:
        raise ValueError(f"ops.image.{op}: images must be of rank {' or '.join(map(str, ranks))} (an image or a "
                         f"batch of images); received shape {tuple(images.shape)}.")  # fmt: skip
    return images


def _last(data_format: str | None) -> bool:
    return config.standardize_data_format(data_format) == "channels_last"


@keras_op("image.resize")
def resize(images: Any, size: Sequence[int], interpolation: str = "bilinear", antialias: bool = False,
           crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False, fill_mode: str = "constant",
           fill_value: float = 0.0, data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """Resizes images to ``size`` = ``(height, width)``, optionally cropping or padding to its aspect ratio first."""
    if interpolation not in _RESIZE:
        raise ValueError(f"ops.image.resize: interpolation must be one of {sorted(_RESIZE)}; received "
                         f"interpolation={interpolation!r}.")  # fmt: skip
    if fill_mode != "constant":
        raise ValueError(f"ops.image.resize: only fill_mode='constant' is supported; received {fill_mode!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("ops.image.resize: set only one of crop_to_aspect_ratio and pad_to_aspect_ratio.")
    if len(size) != 2:
        raise ValueError(f"ops.image.resize: size must be (height, width); received size={size!r}.")
    images = _images(images, "resize")
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    x = x.permute(0, 3, 1, 2) if _last(data_format) else x
    dtype = x.dtype
    if dtype not in (torch.float32, torch.float64):
        x = x.float()
    target_h, target_w = int(size[0]), int(size[1])
    height, width = x.shape[-2:]
    if crop_to_aspect_ratio:
        crop_h = max(min(height, int(width * target_h / target_w)), 1)
        crop_w = max(min(width, int(height * target_w / target_h)), 1)
        top, left = int((height - crop_h) / 2), int((width - crop_w) / 2)
        x = x[:, :, top : top + crop_h, left : left + crop_w]
    elif pad_to_aspect_ratio:
        pad_h = max(height, int(width * target_h / target_w))
        pad_w = max(width, int(height * target_w / target_h))
        top, left = int((pad_h - height) / 2), int((pad_w - width) / 2)
        x = F.pad(x, (left, left, top, top), value=fill_value)
    antialias = antialias and interpolation in ("bilinear", "bicubic")
    align = False if interpolation in ("bilinear", "bicubic") else None
    out = F.interpolate(x, size=(target_h, target_w), mode=_RESIZE[interpolation], align_corners=align,
                        antialias=antialias)  # fmt: skip
    if interpolation == "bicubic" and dtype == torch.uint8:
        out = out.clamp(0, 255)
    out = out.permute(0, 2, 3, 1) if _last(data_format) else out
    if out.dtype != dtype:
        out = (torch.round(out) if not dtype.is_floating_point else out).to(dtype)
    return out[0] if unbatched else out


def _mirror(index: torch.Tensor, size: int) -> torch.Tensor:
    s = size - 1
    return torch.abs((index + s) % (2 * s) - s) if s > 0 else torch.zeros_like(index)


_FIXERS = {
    "constant": lambda index, size: torch.clip(index, 0, size - 1),
    "nearest": lambda index, size: torch.clip(index, 0, size - 1),
    "wrap": lambda index, size: index % size,
    "mirror": _mirror,
    "reflect": lambda index, size: torch.floor_divide(_mirror(2 * index + 1, 2 * size + 1) - 1, 2),
}


@keras_op("image.map_coordinates")
def map_coordinates(inputs: Any, coordinates: Any, order: int, fill_mode: str = "constant",
                    fill_value: float = 0) -> torch.Tensor:  # fmt: skip
    """Samples ``inputs`` at ``coordinates`` (one array per axis) by nearest (0) or linear (1) interpolation."""
    x = convert(inputs)
    coords = [convert(c, like=x) for c in coordinates]
    if len(coords) != x.ndim:
        raise ValueError(f"ops.image.map_coordinates: coordinates need one array per axis of inputs ({x.ndim}); "
                         f"received {len(coords)}.")  # fmt: skip
    if fill_mode not in _FIXERS:
        raise ValueError(f"ops.image.map_coordinates: fill_mode must be one of {sorted(_FIXERS)}; received "
                         f"fill_mode={fill_mode!r}.")  # fmt: skip
    if order not in (0, 1):
        raise ValueError(f"ops.image.map_coordinates: order must be 0 or 1; received order={order!r}.")
    per_axis = []
    for coordinate, size in zip(coords, x.shape, strict=True):
        if order == 0:
            nodes = [
                (torch.round(coordinate).to(torch.int64) if coordinate.is_floating_point() else coordinate.long(), 1)
            ]
        else:
            lower = torch.floor(coordinate)
            upper_weight = coordinate - lower
            nodes = [(lower.long(), 1 - upper_weight), (lower.long() + 1, upper_weight)]
        per_axis.append([(_FIXERS[fill_mode](i, size), (i >= 0) & (i < size), w) for i, w in nodes])
    outputs = []
    for items in itertools.product(*per_axis):
        indices, valid, weights = zip(*items, strict=True)
        contribution = x[indices]
        if fill_mode == "constant":
            all_valid = functools.reduce(operator.and_, valid)
            contribution = torch.where(all_valid, contribution, torch.as_tensor(fill_value, dtype=x.dtype))
        outputs.append(functools.reduce(operator.mul, weights) * contribution)
    result = functools.reduce(operator.add, outputs)
    if not x.is_floating_point() and result.is_floating_point():
        result = torch.round(result)
    return result.to(x.dtype)


@keras_op("image.affine_transform")
def affine_transform(images: Any, transform: Any, interpolation: str = "bilinear", fill_mode: str = "constant",
                     fill_value: float = 0, data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """Applies ``[a0, a1, a2, b0, b1, b2, c0, c1]`` transforms: output ``(x, y)`` samples input
    ``(a0 x + a1 y + a2, b0 x + b1 y + b2)``."""
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"ops.image.affine_transform: interpolation must be 'nearest' or 'bilinear'; received "
                         f"interpolation={interpolation!r}.")  # fmt: skip
    images = _images(images, "affine_transform")
    transform = convert(transform, like=images)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError("ops.image.affine_transform: transform must have shape (8,) or (batch, 8); received "
                         f"{tuple(transform.shape)}.")  # fmt: skip
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    x = x if _last(data_format) else x.permute(0, 2, 3, 1)
    transform = transform[None].expand(x.shape[0], 8) if transform.ndim == 1 else transform
    h, w, c = x.shape[1:]
    grid_y, grid_x, grid_c = torch.meshgrid(*[torch.arange(n, dtype=transform.dtype, device=x.device)
                                              for n in (h, w, c)], indexing="ij")  # fmt: skip
    outputs = []
    for image, t in zip(x, transform, strict=True):
        # Keras' torch backend also adds c0 and c1 times the channel index.
        y_in = t[3] * grid_x + t[4] * grid_y + t[5] + t[6] * grid_c
        x_in = t[0] * grid_x + t[1] * grid_y + t[2] + t[7] * grid_c
        order = 1 if interpolation == "bilinear" else 0
        outputs.append(map_coordinates.__wrapped__(image, [y_in, x_in, grid_c], order, fill_mode, fill_value))
    out = torch.stack(outputs)
    out = out if _last(data_format) else out.permute(0, 3, 1, 2)
    return out[0] if unbatched else out


def _hw_axes(images: torch.Tensor, data_format: str | None) -> tuple[int, int]:
    return (images.ndim - 3, images.ndim - 2) if _last(data_format) else (images.ndim - 2, images.ndim - 1)


def _resolve(first: int | None, second: int | None, target: int | None, size: int, names: tuple[str, str, str],
             op: str, cropping: bool) -> tuple[int, int]:  # fmt: skip
    given = sum(v is not None for v in (first, second, target))
    if given != 2:
        raise ValueError(f"ops.image.{op}: give exactly two of {', '.join(names)}; received "
                         f"{names[0]}={first}, {names[1]}={second}, {names[2]}={target}.")  # fmt: skip
    sign = 1 if cropping else -1
    if first is None:
        first = sign * (size - target) - second
    if second is None:
        second = sign * (size - target) - first
    target = size - sign * (first + second)
    for name, value in zip(names, (first, second, target), strict=True):
        if value < 0:
            raise ValueError(f"ops.image.{op}: {name} must be >= 0; received {name}={value}.")
    return first, second


@keras_op("image.pad_images")
def pad_images(images: Any, top_padding: int | None = None, left_padding: int | None = None,
               bottom_padding: int | None = None, right_padding: int | None = None, target_height: int | None = None,
               target_width: int | None = None, data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """Zero-pads images; give two of top/bottom/target height and two of left/right/target width."""
    images = _images(images, "pad_images")
    h_axis, w_axis = _hw_axes(images, data_format)
    top, bottom = _resolve(top_padding, bottom_padding, target_height, images.shape[h_axis],
                           ("top_padding", "bottom_padding", "target_height"), "pad_images", cropping=False)  # fmt: skip
    left, right = _resolve(left_padding, right_padding, target_width, images.shape[w_axis],
                           ("left_padding", "right_padding", "target_width"), "pad_images", cropping=False)  # fmt: skip
    widths = [0, 0] * (images.ndim - 1 - w_axis) + [left, right, top, bottom]
    return F.pad(images, widths)


@keras_op("image.crop_images")
def crop_images(images: Any, top_cropping: int | None = None, left_cropping: int | None = None,
                bottom_cropping: int | None = None, right_cropping: int | None = None,
                target_height: int | None = None, target_width: int | None = None,
                data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """Crops images; give two of top/bottom/target height and two of left/right/target width."""
    images = _images(images, "crop_images")
    h_axis, w_axis = _hw_axes(images, data_format)
    height, width = images.shape[h_axis], images.shape[w_axis]
    top, bottom = _resolve(top_cropping, bottom_cropping, target_height, height,
                           ("top_cropping", "bottom_cropping", "target_height"), "crop_images", cropping=True)  # fmt: skip
    left, right = _resolve(left_cropping, right_cropping, target_width, width,
                           ("left_cropping", "right_cropping", "target_width"), "crop_images", cropping=True)  # fmt: skip
    return images.narrow(h_axis, top, height - top - bottom).narrow(w_axis, left, width - left - right)


@keras_op("image.rgb_to_grayscale")
def rgb_to_grayscale(images: Any, data_format: str | None = None) -> torch.Tensor:
    """Luma ``0.2989 R + 0.587 G + 0.114 B`` with one channel."""
    images = _images(images, "rgb_to_grayscale")
    axis = -1 if _last(data_format) else -3
    if images.shape[axis] not in (1, 3):
        raise ValueError(f"ops.image.rgb_to_grayscale: images must have 1 or 3 channels; received shape "
                         f"{tuple(images.shape)}.")  # fmt: skip
    if images.shape[axis] == 1:
        return images.clone()
    r, g, b = images.unbind(dim=axis)
    return (0.2989 * r + 0.587 * g + 0.114 * b).to(images.dtype).unsqueeze(axis)


@keras_op("image.rgb_to_hsv")
def rgb_to_hsv(images: Any, data_format: str | None = None) -> torch.Tensor:
    """RGB in ``[0, 1]`` to HSV in ``[0, 1]``."""
    images = _images(images, "rgb_to_hsv")
    axis = -1 if _last(data_format) else -3
    eps = torch.finfo(images.dtype).eps if images.is_floating_point() else 1e-7
    r, g, b = images.unbind(dim=axis)
    value = torch.maximum(torch.maximum(r, g), b)
    minimum = torch.minimum(torch.minimum(r, g), b)
    span = value - minimum
    saturation = torch.where(value > 0, span / torch.where(value > 0, value, 1), 0)
    safe = torch.where(span > 0, span, 1)
    hue = torch.where(value == r, (g - b) / safe, torch.where(value == g, 2 + (b - r) / safe, 4 + (r - g) / safe))
    hue = torch.where(span > eps, (hue / 6) % 1, 0)
    return torch.stack([hue, saturation, value], dim=axis).to(images.dtype)


@keras_op("image.hsv_to_rgb")
def hsv_to_rgb(images: Any, data_format: str | None = None) -> torch.Tensor:
    """HSV in ``[0, 1]`` to RGB in ``[0, 1]``."""
    images = _images(images, "hsv_to_rgb")
    axis = -1 if _last(data_format) else -3
    hue, saturation, value = images.unbind(dim=axis)
    dh = (hue % 1.0) * 6.0
    r = torch.clamp(torch.abs(dh - 3.0) - 1.0, 0, 1)
    g = torch.clamp(2.0 - torch.abs(dh - 2.0), 0, 1)
    b = torch.clamp(2.0 - torch.abs(dh - 4.0), 0, 1)
    rgb = torch.stack([r, g, b], dim=axis)
    return (((rgb - 1) * saturation.unsqueeze(axis) + 1) * value.unsqueeze(axis)).to(images.dtype)


def _patches(images: Any, size: Any, strides: Any, dilation_rate: Any, padding: str, data_format: str | None,
             rank: int, op: str) -> torch.Tensor:  # fmt: skip
    images = _images(images, op, (rank + 1, rank + 2))
    sizes = (size,) * rank if isinstance(size, int) else tuple(size)
    channels = images.shape[-1] if _last(data_format) else images.shape[-rank - 1]
    depth = channels
    for s in sizes:
        depth *= s
    # An identity kernel: output channel k copies patch element k (in (*size, channels) order).
    kernel = torch.eye(depth, dtype=images.dtype, device=images.device).reshape(*sizes, channels, depth)
    unbatched = images.ndim == rank + 1
    out = conv.__wrapped__(images[None] if unbatched else images, kernel, strides or sizes, padding, data_format,
                           dilation_rate)  # fmt: skip
    return out[0] if unbatched else out


@keras_op("image.extract_patches")
def extract_patches(images: Any, size: Any, strides: Any = None, dilation_rate: Any = 1, padding: str = "valid",
                    data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """Patches of ``size`` as channels: ``(batch, rows, cols, size_h * size_w * channels)``."""
    if not isinstance(size, int) and len(size) == 3:
        return extract_patches_3d.__wrapped__(images, size, strides, dilation_rate, padding, data_format)
    return _patches(images, size, strides, dilation_rate, padding, data_format, 2, "extract_patches")


@keras_op("image.extract_patches_3d")
def extract_patches_3d(volumes: Any, size: Any, strides: Any = None, dilation_rate: Any = 1, padding: str = "valid",
                       data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """3D patches of ``size`` as channels."""
    return _patches(volumes, size, strides, dilation_rate, padding, data_format, 3, "extract_patches_3d")


# The filters and warps live in their own modules (which use the helpers above); they are part of ops.image.
from fitorch.ops.image_filters import gaussian_blur as gaussian_blur  # noqa: E402
from fitorch.ops.image_filters import sobel_edges as sobel_edges  # noqa: E402
from fitorch.ops.image_filters import ssim as ssim  # noqa: E402
from fitorch.ops.image_warps import elastic_transform as elastic_transform  # noqa: E402
from fitorch.ops.image_warps import perspective_transform as perspective_transform  # noqa: E402
from fitorch.ops.image_warps import scale_and_translate as scale_and_translate  # noqa: E402
