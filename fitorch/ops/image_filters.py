"""Image filters of ``keras.ops.image``: ``gaussian_blur``, ``sobel_edges`` and ``ssim``.

Each is a depthwise ``F.conv2d`` (one kernel per channel, ``groups=channels``), as in
Keras' torch backend. They are re-exported by ``fitorch.ops.image``.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> images = torch.rand(2, 16, 16, 3)
    >>> ops.image.gaussian_blur(images).shape
    torch.Size([2, 16, 16, 3])
    >>> ops.image.sobel_edges(images).shape
    torch.Size([2, 16, 16, 3, 2])
    >>> ops.image.ssim(images, images).tolist()
    [1.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from fitorch.ops.dtypes import convert
from fitorch.ops.image import _images, _last
from fitorch.ops.registry import keras_op


def gaussian_kernel_1d(size: int, sigma: Any, dtype: torch.dtype = torch.float32, device: Any = None) -> torch.Tensor:
    """A normalized 1D Gaussian of ``size`` taps centred on the middle tap.

    Example:
        >>> gaussian_kernel_1d(3, 1.0)
        tensor([0.2741, 0.4519, 0.2741])
    """
    sigma = torch.as_tensor(sigma, dtype=dtype, device=device)
    offsets = torch.arange(size, dtype=dtype, device=sigma.device) - (size - 1) / 2
    kernel = torch.exp(-0.5 * (offsets / sigma) ** 2)
    return kernel / kernel.sum()


def _depthwise(images: torch.Tensor, kernel: torch.Tensor, padding: Any) -> torch.Tensor:
    """Convolves every channel of ``(B, C, H, W)`` images with the same ``(kh, kw)`` kernel."""
    channels = images.shape[1]
    return F.conv2d(images, kernel.expand(channels, 1, *kernel.shape), padding=padding, groups=channels)


def _pair_of_odd_ints(value: Any, name: str, op: str) -> tuple[int, int]:
    if (
        not isinstance(value, Sequence)
        or len(value) != 2
        or not all(isinstance(k, Integral) and not isinstance(k, bool) and k > 0 and k % 2 == 1 for k in value)
    ):
        raise ValueError(f"ops.image.{op}: {name} must be a pair of positive odd ints; received {name}={value!r}.")
    return int(value[0]), int(value[1])


@keras_op("image.gaussian_blur")
def gaussian_blur(images: Any, kernel_size: Sequence[int] = (3, 3), sigma: Any = (1.0, 1.0),
                  data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """Blurs images with a Gaussian kernel, zero-padded so that the shape is kept.

    As in Keras' torch backend, ``kernel_size[0]`` and ``sigma[0]`` act along the width
    and ``kernel_size[1]`` and ``sigma[1]`` along the height (Keras' docstring says the
    opposite; its code decides the numbers, and this follows its code).

    Args:
        images: an image ``(H, W, C)`` or a batch ``(B, H, W, C)`` (channels_last), or
            the channels_first equivalents.
        kernel_size: two positive odd ints; default ``(3, 3)``.
        sigma: two standard deviations (floats or a ``(2,)`` tensor); default ``(1.0, 1.0)``.
        data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` takes
            ``fitorch.config.image_data_format()``.

    Returns:
        The blurred images, shaped and typed like ``images``.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> image = torch.zeros(5, 5, 1)
        >>> image[2, 2, 0] = 1.0
        >>> blurred = ops.image.gaussian_blur(image, (3, 3), (1.0, 1.0))
        >>> round(float(blurred[2, 2, 0]), 4), round(float(blurred.sum()), 4)
        (0.2042, 1.0)
    """
    width_size, height_size = _pair_of_odd_ints(kernel_size, "kernel_size", "gaussian_blur")
    images = _images(images, "gaussian_blur")
    sigma = convert(sigma, like=images)
    if sigma.shape != (2,):
        raise ValueError(f"ops.image.gaussian_blur: sigma must hold two standard deviations; received {sigma!r}.")
    dtype = images.dtype
    compute_dtype = dtype if dtype.is_floating_point else torch.float32
    unbatched = images.ndim == 3
    x = images[None] if unbatched else images
    x = (x.permute(0, 3, 1, 2) if _last(data_format) else x).to(compute_dtype)  # (B, C, H, W)
    kernel = torch.outer(
        gaussian_kernel_1d(height_size, sigma[1], compute_dtype, x.device),
        gaussian_kernel_1d(width_size, sigma[0], compute_dtype, x.device),
    )  # (kh, kw)
    out = _depthwise(x, kernel, padding=(height_size // 2, width_size // 2))
    out = out.permute(0, 2, 3, 1) if _last(data_format) else out
    if not dtype.is_floating_point:
        out = torch.round(out).to(dtype)
    return out[0] if unbatched else out


_SOBEL_Y = ((-1.0, -2.0, -1.0), (0.0, 0.0, 0.0), (1.0, 2.0, 1.0))


@keras_op("image.sobel_edges")
def sobel_edges(images: Any, data_format: str | None = None) -> torch.Tensor:
    """The Sobel gradients ``[dy, dx]`` of every channel, in a new last axis of size 2.

    The 3x3 Sobel kernels are cross-correlated with the zero-padded images, as in Keras.

    Args:
        images: a batch ``(B, H, W, C)`` (channels_last) or ``(B, C, H, W)`` (channels_first).
        data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` takes
            ``fitorch.config.image_data_format()``.

    Returns:
        ``(B, H, W, C, 2)`` (channels_last) or ``(B, C, H, W, 2)`` (channels_first).

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> image = torch.zeros(1, 4, 4, 1)
        >>> image[0, :, 2:, 0] = 1.0  # a vertical edge
        >>> ops.image.sobel_edges(image)[0, 1, :, 0, 1]  # dx along row 1 (zero padding past the right edge)
        tensor([ 0.,  4.,  4., -4.])
    """
    images = _images(images, "sobel_edges", (4,))
    x = images.permute(0, 3, 1, 2) if _last(data_format) else images  # (B, C, H, W)
    sobel_y = torch.tensor(_SOBEL_Y, dtype=x.dtype, device=x.device)
    edges_y = _depthwise(x, sobel_y, padding=1)
    edges_x = _depthwise(x, sobel_y.T, padding=1)
    edges = torch.stack([edges_y, edges_x], dim=-1)  # (B, C, H, W, 2)
    return edges.permute(0, 2, 3, 1, 4) if _last(data_format) else edges


@keras_op("image.ssim")
def ssim(image1: Any, image2: Any, max_val: float = 1.0, filter_size: int = 11, filter_sigma: float = 1.5,
         k1: float = 0.01, k2: float = 0.03, data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """The structural similarity (SSIM) of two images or batches, averaged over pixels and channels.

    Local means, variances and the covariance come from a ``filter_size`` Gaussian window
    (valid padding, so images need at least ``filter_size`` rows and columns), as in Keras.

    Args:
        image1: an image ``(H, W, C)`` or a batch ``(B, H, W, C)`` (or channels_first).
        image2: images of the same shape.
        max_val: the dynamic range of the pixel values (``1.0``, or ``255.0`` for bytes).
        filter_size: the Gaussian window size, a positive odd int; default ``11``.
        filter_sigma: the Gaussian window's standard deviation; default ``1.5``.
        k1: the first stabilizing constant; default ``0.01``.
        k2: the second stabilizing constant; default ``0.03``.
        data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` takes
            ``fitorch.config.image_data_format()``.

    Returns:
        ``(B,)`` SSIM values (a scalar for single images), in ``image1``'s dtype.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> image = torch.rand(16, 16, 3)
        >>> float(ops.image.ssim(image, image))
        1.0
        >>> bool(ops.image.ssim(image, 1.0 - image) < 0.5)
        True
    """
    filter_size, _ = _pair_of_odd_ints((filter_size, filter_size), "filter_size", "ssim")
    image1, image2 = _images(image1, "ssim"), _images(image2, "ssim")
    if image1.shape != image2.shape:
        raise ValueError(f"ops.image.ssim: image1 and image2 must have the same shape; received "
                         f"{tuple(image1.shape)} and {tuple(image2.shape)}.")  # fmt: skip
    dtype = image1.dtype
    compute_dtype = torch.promote_types(dtype, torch.float32) if dtype.is_floating_point else torch.float32
    unbatched = image1.ndim == 3
    x, y = (image[None] if unbatched else image for image in (image1, image2))
    x, y = ((image.permute(0, 3, 1, 2) if _last(data_format) else image).to(compute_dtype) for image in (x, y))
    batch, channels, height, width = x.shape
    if min(height, width) < filter_size:
        raise ValueError(f"ops.image.ssim: images must be at least filter_size={filter_size} pixels high and wide; "
                         f"received height={height}, width={width}.")  # fmt: skip
    window = gaussian_kernel_1d(filter_size, filter_sigma, compute_dtype, x.device)
    window = torch.outer(window, window)

    def local_mean(values: torch.Tensor) -> torch.Tensor:
        return _depthwise(values, window, padding=0)

    mu_x, mu_y = local_mean(x), local_mean(y)
    var_x = local_mean(x * x) - mu_x * mu_x
    var_y = local_mean(y * y) - mu_y * mu_y
    covariance = local_mean(x * y) - mu_x * mu_y
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    ssim_map = ((2 * mu_x * mu_y + c1) * (2 * covariance + c2)) / (
        (mu_x * mu_x + mu_y * mu_y + c1) * (var_x + var_y + c2)
    )  # (B, C, H', W')
    result = ssim_map.mean(dim=(1, 2, 3)).to(dtype)
    return result[0] if unbatched else result
