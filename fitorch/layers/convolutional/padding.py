"""Spatial helpers shared by convolution and pooling: Keras padding, argument tuples, layouts.

Keras (and TensorFlow) define ``'same'`` padding so that the output has
``ceil(size / stride)`` positions. The padding that needs is

    pad_total = max((ceil(size / stride) - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)

split as ``before = pad_total // 2`` and ``after = pad_total - before``, so the extra
position goes at the end. With ``stride > 1`` the total can be odd, and the padding is
then asymmetric, which torch's ``padding=`` argument cannot express; such inputs are
padded with ``F.pad`` instead. ``'causal'`` padding (``Conv1D`` only) puts all
``(kernel - 1) * dilation`` positions before the sequence.

The layout helpers give the channels-first *view* that torch's kernels expect without
copying: a logical ``(B, H, W, C)`` tensor permuted to ``(B, C, H, W)`` is already in
``torch.channels_last`` memory format, which ``F.conv2d`` and the pooling kernels take
as is and return in the same format, so permuting the result back is free too. A 1-D
``(B, T, C)`` input is viewed as ``(B, C, 1, T)``: torch has no channels-last format for
3-D tensors and its 1-D kernels would copy, while the 2-D kernels run the unit-height
image in channels_last memory.

Example:
    >>> same_padding(5, kernel_size=3, stride=2)
    (1, 1)
    >>> same_padding(6, kernel_size=3, stride=2)
    (0, 1)
    >>> padding_pairs("causal", (10,), (3,), (1,), (2,))
    [(4, 0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

Pair = tuple[int, int]


def normalize_tuple(value: Any, n: int, argument: str, owner: str) -> tuple[int, ...]:
    """Returns ``value`` (an int, or a tuple/list of ``n`` ints) as a tuple of ``n`` positive ints.

    Args:
        value: what the user passed.
        n: how many spatial dimensions the layer has.
        argument: the argument's name, for the error message.
        owner: the layer, as ``"Conv2D 'conv2d'"``, for the error message.

    Raises:
        ValueError: naming the layer, the argument, what was expected and what was received.
    """
    values = (value,) * n if isinstance(value, int) and not isinstance(value, bool) else value
    if (
        not isinstance(values, (tuple, list))
        or len(values) != n
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values)
    ):
        expected = "a positive int" if n == 1 else f"a positive int or a tuple of {n} positive ints"
        raise ValueError(f"{owner}: {argument} must be {expected}; received {argument}={value!r}.")
    return tuple(values)


def normalize_padding(value: Any, allowed: Sequence[str], owner: str) -> str:
    """Returns ``value`` lower-cased when it is one of ``allowed``; raises ``ValueError`` otherwise."""
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(f"{owner}: padding must be one of {tuple(allowed)}; received padding={value!r}.")
    return padding


def same_padding(size: int, kernel_size: int, stride: int, dilation: int = 1) -> Pair:
    """The ``(before, after)`` padding of Keras' ``'same'`` along one axis of ``size``."""
    effective_kernel = (kernel_size - 1) * dilation + 1
    output_size = -(-size // stride)  # ceil(size / stride)
    total = max((output_size - 1) * stride + effective_kernel - size, 0)
    return total // 2, total - total // 2


def padding_pairs(
    padding: str,
    spatial_shape: Sequence[int],
    kernel_size: Sequence[int],
    strides: Sequence[int],
    dilation_rate: Sequence[int],
) -> list[Pair]:
    """The ``(before, after)`` padding of each spatial axis for ``'valid'``, ``'same'`` or ``'causal'``."""
    if padding == "same":
        return [
            same_padding(size, k, s, d)
            for size, k, s, d in zip(spatial_shape, kernel_size, strides, dilation_rate, strict=True)
        ]
    if padding == "causal":
        return [((k - 1) * d, 0) for k, d in zip(kernel_size, dilation_rate, strict=True)]
    return [(0, 0)] * len(spatial_shape)


def apply_padding(
    x: torch.Tensor, pairs: Sequence[Pair], mode: str = "constant", value: float = 0.0
) -> tuple[torch.Tensor, tuple[int, ...]]:
    """Splits ``pairs`` into what torch's ``padding=`` argument takes and what needs ``F.pad``.

    When every axis is padded symmetrically, ``x`` is returned untouched with the
    per-axis padding for the torch kernel; otherwise ``x`` is padded explicitly (``mode``
    and ``value`` as in ``F.pad``) and the kernel gets zero padding.
    """
    if all(before == after for before, after in pairs):
        return x, tuple(before for before, _ in pairs)
    flat = [amount for pair in reversed(pairs) for amount in pair]  # F.pad starts at the last axis
    if mode == "constant":
        return F.pad(x, flat, mode="constant", value=value), (0,) * len(pairs)
    return F.pad(x, flat, mode=mode), (0,) * len(pairs)


def output_size(size: int | None, kernel_size: int, stride: int, dilation: int, padding: str) -> int | None:
    """The output length along one axis (``None`` stays ``None``); ``0`` or less means too small."""
    if size is None:
        return None
    if padding == "valid":
        return (size - (kernel_size - 1) * dilation - 1) // stride + 1
    return -(-size // stride)  # 'same' and 'causal' keep ceil(size / stride) positions


def to_channels_first(x: torch.Tensor, data_format: str, rank: int) -> torch.Tensor:
    """A copy-free channels-first view of ``x`` for torch's kernels.

    ``(B, *spatial, C) -> (B, C, *spatial)`` for ``channels_last``, except that 1-D
    inputs become ``(B, C, 1, T)`` (see the module docstring); ``channels_first`` inputs
    are returned as they are.
    """
    if data_format == "channels_first":
        return x
    if rank == 1:
        return x.unsqueeze(1).permute(0, 3, 1, 2)  # (B, T, C) -> (B, 1, T, C) -> (B, C, 1, T)
    return x.permute(0, x.ndim - 1, *range(1, x.ndim - 1))  # (B, *S, C) -> (B, C, *S)


def from_channels_first(y: torch.Tensor, data_format: str, rank: int) -> torch.Tensor:
    """Undoes ``to_channels_first`` on a kernel's output, again without copying."""
    if data_format == "channels_first":
        return y
    if rank == 1:
        return y.permute(0, 2, 3, 1).squeeze(1)  # (B, C, 1, T) -> (B, 1, T, C) -> (B, T, C)
    return y.permute(0, *range(2, y.ndim), 1)  # (B, C, *S) -> (B, *S, C)


def lift(params: tuple[int, ...], x: torch.Tensor, fill: int = 1) -> tuple[int, ...]:
    """Prefixes per-axis ``params`` with ``fill`` for the unit axis ``to_channels_first`` gave a 1-D input."""
    missing = x.ndim - 2 - len(params)
    return (fill,) * missing + tuple(params)
