"""Image warps of ``keras.ops.image``: ``perspective_transform``, ``elastic_transform`` and
``scale_and_translate``.

The first two move every output pixel to an input point and sample it there as Keras'
``map_coordinates`` does (nearest or bilinear, with the same fill modes), for a whole batch
at once. ``scale_and_translate`` resamples each spatial axis with a separable kernel (JAX's
``jax.image.scale_and_translate``). They are re-exported by ``fitorch.ops.image``.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> images = torch.rand(2, 8, 8, 3)
    >>> corners = torch.tensor([[0.0, 0.0], [7.0, 0.0], [0.0, 7.0], [7.0, 7.0]])
    >>> torch.allclose(ops.image.perspective_transform(images, corners, corners), images, atol=1e-5)
    True
    >>> ops.image.elastic_transform(images, seed=0).shape
    torch.Size([2, 8, 8, 3])
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from numbers import Real
from typing import Any

import torch

from fitorch.ops.dtypes import convert
from fitorch.ops.image import _FIXERS, _images, _last
from fitorch.ops.image_filters import gaussian_blur
from fitorch.ops.registry import keras_op

_ORDERS = {"nearest": 0, "bilinear": 1}


def _check_choice(op: str, name: str, value: Any, choices: Sequence[str]) -> None:
    if value not in choices:
        raise ValueError(f"ops.image.{op}: {name} must be one of {sorted(choices)}; received {name}={value!r}.")


def sample_points(images: torch.Tensor, y_in: torch.Tensor, x_in: torch.Tensor, order: int,
                  fill_mode: str = "constant", fill_value: float = 0.0) -> torch.Tensor:  # fmt: skip
    """Samples ``(B, H, W, C)`` images at the points ``(y_in, x_in)``, each ``(B, H', W')``, like Keras'
    ``map_coordinates`` on every channel: nearest (``order=0``, half-way rounds to even) or bilinear (1).

    Example:
        >>> import torch
        >>> image = torch.arange(4.0).reshape(1, 2, 2, 1)
        >>> sample_points(image, torch.tensor([[[0.5]]]), torch.tensor([[[0.5]]]), order=1)[0, 0, 0]
        tensor([1.5000])
    """
    batch, height, width = images.shape[:3]
    batch_index = torch.arange(batch, device=images.device).view(batch, 1, 1)
    axes = []
    for coordinate in (y_in, x_in):
        if order == 0:
            axes.append([(torch.round(coordinate).long(), None)])
        else:
            lower = torch.floor(coordinate)
            upper_weight = coordinate - lower
            axes.append([(lower.long(), 1 - upper_weight), (lower.long() + 1, upper_weight)])
    fill = torch.as_tensor(fill_value, dtype=images.dtype, device=images.device)
    result = None
    for y_index, y_weight in axes[0]:
        for x_index, x_weight in axes[1]:
            values = images[batch_index, _FIXERS[fill_mode](y_index, height), _FIXERS[fill_mode](x_index, width)]
            if fill_mode == "constant":
                inside = (y_index >= 0) & (y_index < height) & (x_index >= 0) & (x_index < width)
                values = torch.where(inside.unsqueeze(-1), values, fill)
            if y_weight is not None:
                values = (y_weight * x_weight).unsqueeze(-1) * values  # (B, H', W', 1) * (B, H', W', C)
            result = values if result is None else result + values
    if not images.is_floating_point() and result.is_floating_point():
        result = torch.round(result)
    return result.to(images.dtype)


def _points(points: Any, name: str, like: torch.Tensor) -> torch.Tensor:
    points = convert(points, like=like)
    if points.ndim not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
        raise ValueError(f"ops.image.perspective_transform: {name} must have shape (4, 2) or (batch, 4, 2); "
                         f"received {tuple(points.shape)}.")  # fmt: skip
    return points.reshape(-1, 4, 2)


def homography(start_points: torch.Tensor, end_points: torch.Tensor) -> torch.Tensor:
    """The ``(B, 8)`` projective transforms that map each of the four ``end_points`` onto its ``start_points``.

    A row ``[a0 .. a7]`` sends ``(x, y)`` to ``((a0 x + a1 y + a2) / d, (a3 x + a4 y + a5) / d)`` with
    ``d = a6 x + a7 y + 1``; it solves the 8 x 8 linear system of the four point pairs, as Keras does.

    Example:
        >>> import torch
        >>> square = torch.tensor([[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]])
        >>> homography(square, square * 2).abs()  # end (2x, 2y) -> start (x, y)
        tensor([[0.5000, 0.0000, 0.0000, 0.0000, 0.5000, 0.0000, 0.0000, 0.0000]])
    """
    dtype = torch.promote_types(start_points.dtype, torch.float32)
    start_points, end_points = start_points.to(dtype), end_points.to(dtype)
    start_x, start_y = start_points.unbind(-1)  # (B, 4) each
    end_x, end_y = end_points.unbind(-1)
    ones, zeros = torch.ones_like(end_x), torch.zeros_like(end_x)
    rows_x = torch.stack([end_x, end_y, ones, zeros, zeros, zeros, -start_x * end_x, -start_x * end_y], -1)
    rows_y = torch.stack([zeros, zeros, zeros, end_x, end_y, ones, -start_y * end_x, -start_y * end_y], -1)
    system = torch.stack([rows_x, rows_y], dim=2).reshape(-1, 8, 8)  # rows: x1, y1, x2, y2, ...
    target = torch.stack([start_x, start_y], dim=2).reshape(-1, 8, 1)
    return torch.linalg.solve(system, target).reshape(-1, 8)


@keras_op("image.perspective_transform")
def perspective_transform(images: Any, start_points: Any, end_points: Any, interpolation: str = "bilinear",
                          fill_value: float = 0, data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """Warps images so that the four ``start_points`` move to the four ``end_points``.

    Each output pixel ``(x, y)`` samples the input at the point that the homography from
    ``end_points`` to ``start_points`` gives it; points outside the image take ``fill_value``.

    Args:
        images: an image ``(H, W, C)`` or a batch ``(B, H, W, C)`` (or channels_first).
        start_points: ``(4, 2)`` or ``(B, 4, 2)`` ``(x, y)`` corners in the input (top-left,
            top-right, bottom-left, bottom-right in Keras' layers).
        end_points: where those corners go, of the same shape.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_value: the value outside the input image; default ``0``.
        data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` takes
            ``fitorch.config.image_data_format()``.

    Returns:
        The warped images, shaped and typed like ``images``.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> image = torch.arange(9.0).reshape(3, 3, 1)
        >>> start = torch.tensor([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]])
        >>> ops.image.perspective_transform(image, start, start + torch.tensor([1.0, 0.0]))[..., 0].round()
        tensor([[0., 0., 1.],
                [0., 3., 4.],
                [0., 6., 7.]])
    """
    _check_choice("perspective_transform", "interpolation", interpolation, _ORDERS)
    images = _images(images, "perspective_transform")
    start = _points(start_points, "start_points", images)
    end = _points(end_points, "end_points", images)
    if convert(start_points).shape != convert(end_points).shape:
        raise ValueError(f"ops.image.perspective_transform: start_points and end_points must have the same shape; "
                         f"received {tuple(convert(start_points).shape)} and {tuple(convert(end_points).shape)}.")  # fmt: skip
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    x = x if _last(data_format) else x.permute(0, 2, 3, 1)  # (B, H, W, C)
    batch, height, width = x.shape[:3]
    if start.shape[0] not in (1, batch):
        raise ValueError(f"ops.image.perspective_transform: got {start.shape[0]} sets of points for {batch} "
                         "images; give one set, or one per image.")  # fmt: skip
    dtype = x.dtype if x.is_floating_point() else torch.float32
    transforms = homography(start, end).to(dtype).expand(batch, 8)
    a0, a1, a2, a3, a4, a5, a6, a7 = (transforms[:, i].view(batch, 1, 1) for i in range(8))
    ys = torch.arange(height, dtype=dtype, device=x.device).view(1, height, 1)
    xs = torch.arange(width, dtype=dtype, device=x.device).view(1, 1, width)
    denominator = a6 * xs + a7 * ys + 1.0  # (B, H, W)
    x_in = (a0 * xs + a1 * ys + a2) / denominator
    y_in = (a3 * xs + a4 * ys + a5) / denominator
    out = sample_points(x, y_in, x_in, _ORDERS[interpolation], "constant", fill_value)
    out = out if _last(data_format) else out.permute(0, 3, 1, 2)
    return out[0] if unbatched else out


def _generator(seed: Any, device: torch.device) -> torch.Generator | None:
    if isinstance(seed, torch.Generator) or seed is None:
        return seed
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"ops.image.elastic_transform: seed must be an int, a torch.Generator or None; received "
                        f"seed={seed!r}.")  # fmt: skip
    if device.type == "meta":
        return None
    generator = torch.Generator(device=device)
    generator.manual_seed(seed)
    return generator


@keras_op("image.elastic_transform")
def elastic_transform(images: Any, alpha: float = 20.0, sigma: float = 5.0, interpolation: str = "bilinear",
                      fill_mode: str = "reflect", fill_value: float = 0.0, seed: Any = None,
                      data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """Distorts images by a random, smooth displacement field.

    As in Keras' torch backend: per image, two fields of standard normal draws times
    ``sigma`` (first the x field, then the y field) are blurred by a Gaussian of
    standard deviation ``sigma`` and size ``int(6 * sigma) | 1`` (zero padded), and the
    output pixel ``(x, y)`` samples the input at ``(x + alpha * dx, y + alpha * dy)``.

    Args:
        images: an image ``(H, W, C)`` or a batch ``(B, H, W, C)`` (or channels_first).
        alpha: the strength of the displacement; default ``20.0``.
        sigma: the smoothness of the displacement; default ``5.0``.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_mode: ``'reflect'`` (default), ``'constant'``, ``'nearest'``, ``'wrap'`` or ``'mirror'``.
        fill_value: the value outside the image for ``fill_mode='constant'``; default ``0.0``.
        seed: an int (the same draws on every call), a ``torch.Generator`` (its next
            draws), or ``None`` (torch's global random state, ``torch.manual_seed``).
            Keras' torch backend ignores ``seed`` outside the meta device; fitorch honours it.
        data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` takes
            ``fitorch.config.image_data_format()``.

    Returns:
        The distorted images, shaped and typed like ``images``.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> images = torch.rand(2, 16, 16, 3)
        >>> a = ops.image.elastic_transform(images, alpha=4.0, sigma=2.0, seed=1)
        >>> torch.equal(a, ops.image.elastic_transform(images, alpha=4.0, sigma=2.0, seed=1))
        True
        >>> torch.equal(ops.image.elastic_transform(images, alpha=0.0, seed=1), images)
        True
    """
    _check_choice("elastic_transform", "interpolation", interpolation, _ORDERS)
    _check_choice("elastic_transform", "fill_mode", fill_mode, _FIXERS)
    for name, value in (("alpha", alpha), ("sigma", sigma)):
        if not isinstance(value, (Real, torch.Tensor)) or isinstance(value, bool):
            raise TypeError(f"ops.image.elastic_transform: {name} must be a number; received {name}={value!r}.")
    if float(sigma) <= 0:
        raise ValueError(f"ops.image.elastic_transform: sigma must be > 0; received sigma={sigma!r}.")
    images = _images(images, "elastic_transform")
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    x = x if _last(data_format) else x.permute(0, 2, 3, 1)  # (B, H, W, C)
    batch, height, width = x.shape[:3]
    dtype = x.dtype if x.is_floating_point() else torch.float32
    generator = _generator(seed, x.device)
    size = int(6 * float(sigma)) | 1
    fields = []
    for _ in range(2):  # dx, then dy: Keras' order of draws
        noise = torch.normal(0.0, 1.0, size=(batch, 1, height, width), generator=generator, dtype=dtype,
                             device=x.device) * float(sigma)  # fmt: skip
        blurred = gaussian_blur.__wrapped__(noise, (size, size), (float(sigma), float(sigma)), "channels_first")
        fields.append(float(alpha) * blurred[:, 0])  # (B, H, W)
    ys = torch.arange(height, dtype=dtype, device=x.device).view(1, height, 1)
    xs = torch.arange(width, dtype=dtype, device=x.device).view(1, 1, width)
    out = sample_points(x, ys + fields[1], xs + fields[0], _ORDERS[interpolation], fill_mode, fill_value)
    out = out if _last(data_format) else out.permute(0, 3, 1, 2)
    return out[0] if unbatched else out


def _triangle(x: torch.Tensor) -> torch.Tensor:
    return torch.clamp(1 - torch.abs(x), min=0)


def _keys_cubic(x: torch.Tensor) -> torch.Tensor:
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = torch.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return torch.where(x >= 2.0, 0.0, out)


def _lanczos(radius: float, x: torch.Tensor) -> torch.Tensor:
    y = radius * torch.sin(math.pi * x) * torch.sin(math.pi * x / radius)
    out = torch.where(x > 1e-3, y / torch.where(x != 0, math.pi**2 * x**2, 1), 1)
    return torch.where(x > radius, 0.0, out)


_KERNELS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    **dict.fromkeys(("linear", "bilinear", "trilinear", "triangle"), _triangle),
    **dict.fromkeys(("cubic", "bicubic", "tricubic"), _keys_cubic),
    "lanczos3": functools.partial(_lanczos, 3.0),
    "lanczos5": functools.partial(_lanczos, 5.0),
}


def _weights(input_size: int, output_size: int, scale: torch.Tensor, translation: torch.Tensor,
             kernel: Callable[[torch.Tensor], torch.Tensor], antialias: bool) -> torch.Tensor:  # fmt: skip
    """The ``(input_size, output_size)`` resampling matrix of one axis."""
    inverse = 1.0 / scale
    kernel_scale = torch.clamp(inverse, min=1.0) if antialias else 1.0  # widen the kernel when downsampling
    sample = (torch.arange(output_size, dtype=scale.dtype, device=scale.device) + 0.5) * inverse
    sample = sample - translation * inverse - 0.5  # (out,): each output pixel's centre in input coordinates
    distance = torch.abs(sample[None, :] - torch.arange(input_size, dtype=scale.dtype, device=scale.device)[:, None])
    weights = kernel(distance / kernel_scale)
    total = weights.sum(dim=0, keepdim=True)
    weights = torch.where(total.abs() > 1000.0 * torch.finfo(torch.float32).eps,
                          weights / torch.where(total != 0, total, 1), 0)  # fmt: skip
    inside = (sample >= -0.5) & (sample <= input_size - 0.5)
    return torch.where(inside[None, :], weights, 0)


@keras_op("image.scale_and_translate")
def scale_and_translate(images: Any, output_shape: Sequence[int], scale: Any, translation: Any,
                        spatial_dims: Sequence[int], method: str, antialias: bool = True) -> torch.Tensor:  # fmt: skip
    """Resamples ``images`` to ``output_shape``: input point ``p`` lands at ``p * scale + translation``.

    Along each axis of ``spatial_dims`` (``scale[i]`` and ``translation[i]`` for
    ``spatial_dims[i]``), pixel centres sit at ``index + 0.5``; output pixels whose
    source falls outside the input are zero. As ``jax.image.scale_and_translate``.

    Args:
        images: any array.
        output_shape: the output's full shape (one int per axis of ``images``).
        scale: ``(K,)`` scales, one per spatial axis.
        translation: ``(K,)`` translations, one per spatial axis.
        spatial_dims: the ``K`` axes to resample.
        method: ``'linear'`` (also ``'bilinear'``, ``'trilinear'``, ``'triangle'``),
            ``'cubic'`` (also ``'bicubic'``, ``'tricubic'``; the Keys kernel),
            ``'lanczos3'`` or ``'lanczos5'``.
        antialias: widen the kernel when downsampling; default ``True``.

    Returns:
        The resampled array of ``output_shape``, in ``images``' dtype (integers rounded
        and clipped to the input's range).

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> image = torch.arange(9.0).reshape(3, 3)
        >>> scale = torch.tensor([2.0, 2.0])
        >>> ops.image.scale_and_translate(image, (5, 5), scale, -(scale / 2 - 0.5), (0, 1), "linear")[0]
        tensor([0.0000, 0.5000, 1.0000, 1.5000, 2.0000])
    """
    _check_choice("scale_and_translate", "method", method, _KERNELS)
    x = convert(images)
    scale = convert(scale, like=x)
    translation = convert(translation, like=x)
    dtype = torch.promote_types(scale.dtype, translation.dtype)
    dtype = dtype if dtype.is_floating_point else torch.float32
    scale, translation = scale.to(dtype).reshape(-1), translation.to(dtype).reshape(-1)
    spatial_dims = list(spatial_dims)
    if len(output_shape) != x.ndim:
        raise ValueError(f"ops.image.scale_and_translate: output_shape needs one size per axis of images "
                         f"({x.ndim}); received output_shape={tuple(output_shape)!r}.")  # fmt: skip
    if not len(spatial_dims) == len(scale) == len(translation):
        raise ValueError(f"ops.image.scale_and_translate: scale and translation need one value per axis of "
                         f"spatial_dims={tuple(spatial_dims)!r}; received {len(scale)} and {len(translation)}.")  # fmt: skip
    if not spatial_dims:
        return x
    output = x.to(torch.float32) if not x.is_floating_point() else x
    for i, dim in enumerate(spatial_dims):
        dim = dim % x.ndim
        weights = _weights(x.shape[dim], int(output_shape[dim]), scale[i], translation[i], _KERNELS[method], antialias)
        output = torch.tensordot(output, weights.to(output.dtype), dims=([dim], [0])).movedim(-1, dim)
    if not x.is_floating_point():
        output = torch.clip(torch.round(output), x.min(), x.max()).to(x.dtype)
    return output
