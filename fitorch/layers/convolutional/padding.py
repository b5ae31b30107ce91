"""Spatial helpers shared by convolution, pooling and reshaping: Keras padding, argument tuples, layouts.

Keras (and TensorFlow) define ``'same'`` padding so that the output has
``ceil(size / stride)`` positions. The padding that needs is

    pad_total = max((ceil(size / stride) - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)

split as ``before = pad_total // 2`` and ``after = pad_total - before``, so the extra
position goes at the end. With ``stride > 1`` the total can be odd, and the padding is
then asymmetric, which torch's ``padding=`` argument cannot express; such inputs are
padded with ``F.pad`` instead. ``'causal'`` padding (``Conv1D`` only) puts all
``(kernel - 1) * dilation`` positions before the sequence.

Transposed convolutions follow Keras 3 (whose torch backend copies JAX/TensorFlow):
the full transposed convolution has ``(size - 1) * stride + effective_kernel``
positions, from which ``conv_transpose_crops`` removes ``(before, after)``; a
negative amount means zeros are appended instead. ``'same'`` without
``output_padding`` gives ``size * stride`` positions; with a stride above 1 and an
odd kernel the crop is asymmetric (one more position at the end), which torch's
``padding=``/``output_padding=`` arguments cannot express, so the result is sliced.

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
    >>> conv_transpose_crops(3, stride=2, dilation=1, padding="same", output_padding=None)
    (0, 1)
    >>> conv_transpose_output_size(5, 3, stride=2, dilation=1, padding="same", output_padding=None)
    10
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from fitorch import config

Pair = tuple[int, int]


def normalize_tuple(value: Any, n: int, argument: str, owner: str, allow_zero: bool = False) -> tuple[int, ...]:
    """Returns ``value`` (an int, or a tuple/list of ``n`` ints) as a tuple of ``n`` positive ints.

    Args:
        value: what the user passed.
        n: how many spatial dimensions the layer has.
        argument: the argument's name, for the error message.
        owner: the layer, as ``"Conv2D 'conv2d'"``, for the error message.
        allow_zero: accept zeros too (non-negative ints), e.g. for ``output_padding``.

    Raises:
        ValueError: naming the layer, the argument, what was expected and what was received.
    """
    smallest = 0 if allow_zero else 1
    values = (value,) * n if _is_int(value) else value
    if (
        not isinstance(values, (tuple, list))
        or len(values) != n
        or not all(_is_int(v) and v >= smallest for v in values)
    ):
        kind = "non-negative" if allow_zero else "positive"
        expected = f"a {kind} int" if n == 1 else f"a {kind} int or a tuple of {n} {kind} ints"
        raise ValueError(f"{owner}: {argument} must be {expected}; received {argument}={value!r}.")
    return tuple(values)


def normalize_pairs(value: Any, n: int, argument: str, owner: str) -> tuple[Pair, ...]:
    """Returns ``value`` as ``n`` ``(before, after)`` pairs of non-negative ints (Keras' cropping/padding).

    For one axis (``n == 1``) ``value`` is an int (both sides) or one pair ``(before, after)``,
    as in ``Cropping1D((1, 2))``. For more axes it is an int (every side), or ``n`` entries,
    each an int (both sides of that axis) or a pair: ``ZeroPadding2D(((1, 2), 3))``.

    Raises:
        ValueError: naming the layer, the argument, what was expected and what was received.
    """

    def pair(entry: Any) -> Pair | None:
        if _is_int(entry) and entry >= 0:
            return (entry, entry)
        if isinstance(entry, (tuple, list)) and len(entry) == 2 and all(_is_int(v) and v >= 0 for v in entry):
            return (entry[0], entry[1])
        return None

    if n == 1:
        pairs = [pair(value)]
        expected = "a non-negative int or a tuple of 2 non-negative ints (before, after)"
    else:
        if _is_int(value):
            entries = [value] * n
        elif isinstance(value, (tuple, list)) and len(value) == n:
            entries = list(value)
        else:
            entries = [None]
        pairs = [pair(entry) for entry in entries]
        expected = (
            f"a non-negative int, or a tuple of {n} entries that are each a non-negative int or a "
            "tuple of 2 non-negative ints (before, after)"
        )
    if any(p is None for p in pairs):
        raise ValueError(f"{owner}: {argument} must be {expected}; received {argument}={value!r}.")
    return tuple(pairs)  # type: ignore[arg-type]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def standardize_data_format(data_format: str | None, owner: str) -> str:
    """``fitorch.config.standardize_data_format`` with ``owner`` (the layer) named in its error.

    Example:
        >>> standardize_data_format("channels_first", "Conv2D 'c'")
        'channels_first'
    """
    try:
        return config.standardize_data_format(data_format)
    except ValueError as error:
        raise ValueError(f"{owner}: {error}") from None


def check_rank(input_shape: Sequence[int | None], rank: int, owner: str) -> None:
    """Raises ``ValueError`` naming ``owner`` unless ``input_shape`` has ``rank`` spatial axes (rank + 2 in all).

    Example:
        >>> check_rank((None, 8, 3), 1, "Conv1D 'c'")  # (batch, steps, channels): fine
    """
    if len(input_shape) != rank + 2:
        raise ValueError(
            f"{owner}: expected an input of rank {rank + 2} (batch, spatial axes, channels); "
            f"received shape {tuple(input_shape)}."
        )


def spatial_axes(data_format: str, rank: int) -> tuple[int, ...]:
    """The spatial axes of a ``rank + 2``-D input: ``(1, ..., rank)`` channels_last, else ``(2, ..., rank + 1)``.

    Example:
        >>> spatial_axes("channels_last", 2), spatial_axes("channels_first", 2)
        ((1, 2), (2, 3))
    """
    first = 1 if data_format == "channels_last" else 2
    return tuple(range(first, first + rank))


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


def conv_transpose_crops(
    kernel_size: int, stride: int, dilation: int, padding: str, output_padding: int | None
) -> Pair:
    """What Keras removes ``(before, after)`` from the full transposed convolution along one axis.

    The full result has ``(size - 1) * stride + effective_kernel`` positions. Keras 3
    (``keras/src/backend/common/backend_utils.py``) pads the stride-dilated input by
    ``(left, right)`` as JAX does; the crop is ``effective_kernel - 1`` minus that padding,
    and is negative when zeros must be appended instead.
    """
    effective_kernel = (kernel_size - 1) * dilation + 1
    if padding == "valid":
        # Without output_padding the output has (size - 1) * stride + max(kernel, stride) positions.
        extra = max(effective_kernel, stride) - effective_kernel if output_padding is None else output_padding
        left, right = effective_kernel - 1, effective_kernel - 1 + extra
    else:
        if output_padding is None:
            total = stride + effective_kernel - 2  # size * stride positions
        else:
            total = effective_kernel + effective_kernel % 2 - 2 + output_padding
        left = min(total // 2 + total % 2, effective_kernel - 1)
        right = total - left
    return effective_kernel - 1 - left, effective_kernel - 1 - right


def conv_transpose_output_size(
    size: int | None, kernel_size: int, stride: int, dilation: int, padding: str, output_padding: int | None
) -> int | None:
    """The output length of a Keras transposed convolution along one axis (``None`` stays ``None``)."""
    if size is None:
        return None
    before, after = conv_transpose_crops(kernel_size, stride, dilation, padding, output_padding)
    return (size - 1) * stride + (kernel_size - 1) * dilation + 1 - before - after
