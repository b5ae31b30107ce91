"""Convolution and pooling ops (``keras.ops.nn``) on channels_last (default) or channels_first tensors.

Kernels use Keras' layout ``(*kernel_size, in_channels, out_channels)``; the op turns
them into torch's ``(out, in, *kernel_size)`` and channels_last inputs into a
channels-first view (no copy), then calls ``F.conv{1,2,3}d``. ``padding='same'``
pads as TensorFlow does (the extra pixel after), so results equal Keras'.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> images = torch.ones(1, 5, 5, 3)
    >>> ops.conv(images, torch.ones(3, 3, 3, 8), strides=2, padding="same").shape
    torch.Size([1, 3, 3, 8])
    >>> ops.max_pool(images, 2).shape
    torch.Size([1, 2, 2, 3])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from fitorch import config
from fitorch.ops.dtypes import convert
from fitorch.ops.registry import keras_op

IntOrTuple = int | Sequence[int]
_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _tuple(value: IntOrTuple, rank: int, name: str, op: str) -> tuple[int, ...]:
    values = (value,) * rank if isinstance(value, int) else tuple(value)
    if len(values) != rank or not all(isinstance(v, int) and v > 0 for v in values):
        raise ValueError(f"ops.{op}: {name} must be a positive int or {rank} positive ints; received {value!r}.")
    return values


def _channels_first(x: Any, data_format: str | None, op: str) -> tuple[torch.Tensor, bool]:
    x = convert(x)
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"ops.{op}: inputs must be 3D, 4D or 5D (batch, spatial..., channels); "
                         f"received shape {tuple(x.shape)}.")  # fmt: skip
    last = config.standardize_data_format(data_format) == "channels_last"
    return (torch.movedim(x, -1, 1) if last else x), last


def _back(x: torch.Tensor, last: bool) -> torch.Tensor:
    return torch.movedim(x, 1, -1) if last else x


def _same_pad(x: torch.Tensor, kernel: Sequence[int], strides: Sequence[int], dilation: Sequence[int],
              value: float = 0.0) -> torch.Tensor:  # fmt: skip
    """TensorFlow's 'same' padding on the spatial axes of a channels-first tensor."""
    widths: list[int] = []
    for size, k, s, d in zip(x.shape[2:], kernel, strides, dilation, strict=True):
        total = max((math.ceil(size / s) - 1) * s + (k - 1) * d + 1 - size, 0)
        widths = [total // 2, total - total // 2, *widths]
    return F.pad(x, widths, value=value) if any(widths) else x


def _padding(padding: str, op: str) -> str:
    padding = padding.lower() if isinstance(padding, str) else padding
    if padding not in ("valid", "same"):
        raise ValueError(f"ops.{op}: padding must be 'valid' or 'same'; received padding={padding!r}.")
    return padding


@keras_op()
def conv(inputs: Any, kernel: Any, strides: IntOrTuple = 1, padding: str = "valid", data_format: str | None = None,
         dilation_rate: IntOrTuple = 1) -> torch.Tensor:  # fmt: skip
    """An N-D convolution with a Keras-layout ``kernel`` ``(*kernel_size, in_channels / groups, filters)``."""
    x, last = _channels_first(inputs, data_format, "conv")
    kernel = convert(kernel, like=x)
    rank = x.ndim - 2
    if kernel.ndim != rank + 2:
        raise ValueError(f"ops.conv: kernel must be {rank + 2}D for {x.ndim}D inputs; received shape "
                         f"{tuple(kernel.shape)}.")  # fmt: skip
    strides = _tuple(strides, rank, "strides", "conv")
    dilation = _tuple(dilation_rate, rank, "dilation_rate", "conv")
    in_channels, kernel_in = x.shape[1], kernel.shape[-2]
    if in_channels % kernel_in:
        raise ValueError(f"ops.conv: the kernel's input channels ({kernel_in}) must divide the inputs' channels "
                         f"({in_channels}).")  # fmt: skip
    weight = torch.movedim(kernel, (-1, -2), (0, 1))  # (*k, in, out) -> (out, in, *k)
    if _padding(padding, "conv") == "same":
        x = _same_pad(x, weight.shape[2:], strides, dilation)
    out = _CONV[rank](x, weight.to(x.dtype), stride=strides, dilation=dilation, groups=in_channels // kernel_in)
    return _back(out, last)


@keras_op()
def depthwise_conv(inputs: Any, kernel: Any, strides: IntOrTuple = 1, padding: str = "valid",
                   data_format: str | None = None, dilation_rate: IntOrTuple = 1) -> torch.Tensor:  # fmt: skip
    """A depthwise convolution; ``kernel`` is ``(*kernel_size, in_channels, depth_multiplier)``."""
    x, last = _channels_first(inputs, data_format, "depthwise_conv")
    kernel = convert(kernel, like=x)
    rank = x.ndim - 2
    strides = _tuple(strides, rank, "strides", "depthwise_conv")
    dilation = _tuple(dilation_rate, rank, "dilation_rate", "depthwise_conv")
    in_channels = kernel.shape[-2]
    # (*k, in, mult) -> (in * mult, 1, *k): each group of `mult` filters reads one channel.
    weight = torch.movedim(kernel.reshape(*kernel.shape[:-2], 1, -1), (-1, -2), (0, 1))
    if _padding(padding, "depthwise_conv") == "same":
        x = _same_pad(x, weight.shape[2:], strides, dilation)
    out = _CONV[rank](x, weight.to(x.dtype), stride=strides, dilation=dilation, groups=in_channels)
    return _back(out, last)


@keras_op()
def separable_conv(inputs: Any, depthwise_kernel: Any, pointwise_kernel: Any, strides: IntOrTuple = 1,
                   padding: str = "valid", data_format: str | None = None,
                   dilation_rate: IntOrTuple = 1) -> torch.Tensor:  # fmt: skip
    """A depthwise convolution followed by a 1x1 (pointwise) convolution."""
    depthwise = depthwise_conv.__wrapped__(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv.__wrapped__(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


@keras_op()
def conv_transpose(inputs: Any, kernel: Any, strides: IntOrTuple = 1, padding: str = "valid",
                   output_padding: IntOrTuple | None = None, data_format: str | None = None,
                   dilation_rate: IntOrTuple = 1) -> torch.Tensor:  # fmt: skip
    """A transposed convolution; ``kernel`` is ``(*kernel_size, filters, in_channels)`` as in Keras."""
    x, last = _channels_first(inputs, data_format, "conv_transpose")
    kernel = convert(kernel, like=x)
    rank = x.ndim - 2
    strides = _tuple(strides, rank, "strides", "conv_transpose")
    dilation = _tuple(dilation_rate, rank, "dilation_rate", "conv_transpose")
    padding = _padding(padding, "conv_transpose")
    extras = (None,) * rank if output_padding is None else _tuple_or_zero(output_padding, rank)
    weight = torch.movedim(kernel, (-1, -2), (0, 1))  # (*k, out, in) -> (in, out, *k)
    # torch's natural output, (n - 1) * s + k, is JAX's with k - 1 padding on each side; crop (or
    # zero-extend) it to the window Keras asks for.
    out = _CONV_T[rank](x, weight.to(x.dtype), stride=strides, dilation=dilation)
    widths: list[int] = []
    for size, s, d, extra in zip(kernel.shape[:rank], strides, dilation, extras, strict=True):
        left, right = _transpose_padding(size, s, d, padding, extra)
        effective = (size - 1) * d + 1
        widths = [left - (effective - 1), right - (effective - 1), *widths]
    return _back(F.pad(out, widths) if any(widths) else out, last)


def _tuple_or_zero(value: IntOrTuple, rank: int) -> tuple[int, ...]:
    return (value,) * rank if isinstance(value, int) else tuple(value)


def _transpose_padding(kernel: int, stride: int, dilation: int, padding: str, extra: int | None) -> tuple[int, int]:
    """The left and right padding of Keras' (JAX's) transposed convolution along one axis."""
    kernel = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(kernel, stride) - kernel if extra is None else extra
        return kernel - 1, kernel - 1 + extra
    pad = stride + kernel - 2 if extra is None else kernel + kernel % 2 - 2 + extra
    left = min(pad // 2 + pad % 2, kernel - 1)
    return left, pad - left


def _pool(inputs: Any, pool_size: IntOrTuple, strides: IntOrTuple | None, padding: str, data_format: str | None,
          op: str) -> tuple[torch.Tensor, bool, tuple[int, ...], tuple[int, ...], str]:  # fmt: skip
    x, last = _channels_first(inputs, data_format, op)
    rank = x.ndim - 2
    pool = _tuple(pool_size, rank, "pool_size", op)
    strides = pool if strides is None else _tuple(strides, rank, "strides", op)
    return x, last, pool, strides, _padding(padding, op)


@keras_op()
def max_pool(inputs: Any, pool_size: IntOrTuple, strides: IntOrTuple | None = None, padding: str = "valid",
             data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """Max pooling over windows of ``pool_size`` (``strides`` defaults to ``pool_size``)."""
    x, last, pool, strides, padding = _pool(inputs, pool_size, strides, padding, data_format, "max_pool")
    if padding == "same":
        x = _same_pad(x, pool, strides, (1,) * len(pool), value=float("-inf"))
    return _back(_MAX_POOL[len(pool)](x, pool, strides), last)


@keras_op()
def average_pool(inputs: Any, pool_size: IntOrTuple, strides: IntOrTuple | None = None, padding: str = "valid",
                 data_format: str | None = None) -> torch.Tensor:  # fmt: skip
    """Average pooling; with ``'same'`` padding the padded cells are not counted, as in Keras."""
    x, last, pool, strides, padding = _pool(inputs, pool_size, strides, padding, data_format, "average_pool")
    if padding == "same":
        ones = torch.ones_like(x[:1, :1])
        total = _AVG_POOL[len(pool)](_same_pad(x, pool, strides, (1,) * len(pool)), pool, strides)
        count = _AVG_POOL[len(pool)](_same_pad(ones, pool, strides, (1,) * len(pool)), pool, strides)
        return _back(total / count, last)
    return _back(_AVG_POOL[len(pool)](x, pool, strides), last)


_ADAPTIVE_POOLS = {
    "adaptive_average_pool": {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d},
    "adaptive_max_pool": {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d},
}


def _adaptive_pool(name: str, inputs: Any, output_size: IntOrTuple, data_format: str | None) -> torch.Tensor:
    x, last = _channels_first(inputs, data_format, name)
    rank = x.ndim - 2
    size = _tuple(output_size, rank, "output_size", name)
    return _back(_ADAPTIVE_POOLS[name][rank](x, size), last)


@keras_op()
def adaptive_average_pool(inputs: Any, output_size: IntOrTuple, data_format: str | None = None) -> torch.Tensor:
    """Average pooling to a fixed ``output_size``."""
    return _adaptive_pool("adaptive_average_pool", inputs, output_size, data_format)


@keras_op()
def adaptive_max_pool(inputs: Any, output_size: IntOrTuple, data_format: str | None = None) -> torch.Tensor:
    """Max pooling to a fixed ``output_size``."""
    return _adaptive_pool("adaptive_max_pool", inputs, output_size, data_format)


@keras_op()
def depth_to_space(x: Any, block_size: int, data_format: str = "channels_last") -> torch.Tensor:
    """Moves channel blocks into ``block_size`` x ``block_size`` spatial blocks (DCR order, as TF)."""
    x, last = _channels_first(x, data_format, "depth_to_space")
    b, c, h, w = x.shape
    out = x.reshape(b, block_size, block_size, c // block_size**2, h, w).permute(0, 3, 4, 1, 5, 2)
    return _back(out.reshape(b, c // block_size**2, h * block_size, w * block_size), last)


@keras_op()
def space_to_depth(x: Any, block_size: int, data_format: str = "channels_last") -> torch.Tensor:
    """Moves ``block_size`` x ``block_size`` spatial blocks into channels (the inverse of ``depth_to_space``)."""
    x, last = _channels_first(x, data_format, "space_to_depth")
    b, c, h, w = x.shape
    out = x.reshape(b, c, h // block_size, block_size, w // block_size, block_size).permute(0, 3, 5, 1, 2, 4)
    return _back(out.reshape(b, c * block_size**2, h // block_size, w // block_size), last)
