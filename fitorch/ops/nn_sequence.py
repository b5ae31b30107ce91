"""Patch extraction and sequence losses: ``keras.ops.unfold``, ``fold`` and ``ctc_loss``.

``unfold`` / ``fold`` are ``torch.nn.functional.unfold`` / ``fold`` (im2col / col2im) on
channels-first images, with Keras' argument names.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> patches = ops.unfold(torch.ones(1, 2, 4, 4), kernel_size=2, stride=2)
    >>> patches.shape, ops.fold(patches, output_size=4, kernel_size=2, stride=2).shape
    (torch.Size([1, 8, 4]), torch.Size([1, 2, 4, 4]))
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.ops.dtypes import convert
from fitorch.ops.registry import keras_op

IntPair = int | tuple[int, int]


@keras_op()
def unfold(
    x: Any, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0, stride: IntPair = 1
) -> torch.Tensor:
    """The sliding ``kernel_size`` blocks of a channels-first image batch, flattened (im2col).

    Args:
        x: a tensor of shape ``(N, C, H, W)``.
        kernel_size: the block size, an int or ``(kH, kW)``.
        dilation: the spacing between block elements (default 1).
        padding: zeros added on both sides of each spatial axis (default 0).
        stride: the step between blocks (default 1).

    Returns:
        A tensor of shape ``(N, C * kH * kW, L)``, ``L`` the number of blocks.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> ops.unfold(torch.arange(9.0).reshape(1, 1, 3, 3), 2)[0, :, 0].tolist()
        [0.0, 1.0, 3.0, 4.0]
    """
    x = convert(x)
    if x.ndim != 4:
        raise ValueError(f"ops.unfold: x must be 4D (N, C, H, W); received shape {tuple(x.shape)}.")
    return F.unfold(x, kernel_size=kernel_size, dilation=dilation, padding=padding, stride=stride)


@keras_op()
def fold(
    x: Any, output_size: IntPair, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0, stride: IntPair = 1
) -> torch.Tensor:
    """Sums flattened sliding blocks back into a channels-first image batch (col2im; reverses ``unfold``).

    Overlapping blocks add up where they overlap.

    Args:
        x: a tensor of shape ``(N, C * kH * kW, L)``.
        output_size: the image size, an int or ``(H, W)``.
        kernel_size: the block size, an int or ``(kH, kW)``.
        dilation: the spacing between block elements (default 1).
        padding: zeros that ``unfold`` added on both sides of each spatial axis (default 0).
        stride: the step between blocks (default 1).

    Returns:
        A tensor of shape ``(N, C, H, W)``.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> ops.fold(torch.ones(1, 4, 4), output_size=3, kernel_size=2)[0, 0].tolist()
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    x = convert(x)
    if x.ndim != 3:
        raise ValueError(f"ops.fold: x must be 3D (N, C * kH * kW, L); received shape {tuple(x.shape)}.")
    return F.fold(
        x, output_size=output_size, kernel_size=kernel_size, dilation=dilation, padding=padding, stride=stride
    )


@keras_op()
def ctc_loss(target: Any, output: Any, target_length: Any, output_length: Any, mask_index: int = 0) -> torch.Tensor:
    """The CTC loss of each sequence in a batch (``torch.nn.functional.ctc_loss`` with Keras' argument order).

    Args:
        target: int labels of shape ``(batch, max_label_length)``; entries past ``target_length`` are ignored.
        output: logits of shape ``(batch, max_length, num_classes)``; a log-softmax is applied here.
        target_length: the length of each label sequence, shape ``(batch,)``.
        output_length: the length of each output sequence, shape ``(batch,)``.
        mask_index: the class index of the blank (default 0).

    Returns:
        The negative log-likelihoods, shape ``(batch,)``, float32 (or ``output``'s dtype if wider);
        ``inf`` where no alignment exists.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> logits = torch.zeros(1, 2, 3)  # two uniform steps over 3 classes
        >>> loss = ops.ctc_loss(torch.tensor([[1]]), logits, torch.tensor([1]), torch.tensor([2]))
        >>> round(loss.item(), 4)  # -log(3 paths / 9): "1 1", "0 1", "1 0"
        1.0986
    """
    output = convert(output)
    target_t = convert(target, like=output)
    if output.ndim != 3 or target_t.ndim != 2 or target_t.shape[0] != output.shape[0]:
        raise ValueError(f"ops.ctc_loss: expected target (batch, max_label_length) and output "
                         f"(batch, max_length, num_classes); received shapes {tuple(target_t.shape)} and "
                         f"{tuple(output.shape)}.")  # fmt: skip
    dtype = torch.promote_types(output.dtype, torch.float32)
    if output.is_meta:
        # torch's ctc_loss has no meta kernel; a model being defined only needs the shape.
        return output.new_empty(output.shape[:1], dtype=dtype)
    # (B, T, C) -> (T, B, C), the layout torch's ctc_loss takes.
    log_probs = torch.log_softmax(output.to(dtype).transpose(0, 1), dim=-1)
    return F.ctc_loss(
        log_probs,
        target_t.long(),
        convert(output_length, like=output).long(),
        convert(target_length, like=output).long(),
        blank=mask_index,
        reduction="none",
    )
