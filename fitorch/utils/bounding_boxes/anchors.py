"""Anchor box deltas as ``keras.utils.bounding_boxes``: ``encode_box_to_deltas`` and ``decode_deltas_to_boxes``."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.utils.bounding_boxes.converters import ENCODING_FORMATS, ImageShape, as_tensor, convert_format, image_size


def _check_variance(function: str, variance: Any, like: torch.Tensor) -> torch.Tensor | None:
    if variance is None:
        return None
    variance = as_tensor(variance, like, torch.float32)
    if variance.ndim == 0 or variance.shape[-1] != 4:
        raise ValueError(f"{function}: `variance` must have length 4; received variance={variance.tolist()}.")
    return variance


def _check_encoding(function: str, name: str, value: str) -> None:
    if value not in ENCODING_FORMATS:
        raise ValueError(f"{function}: `{name}` must be 'center_xywh' or 'center_yxhw'; received {name}={value!r}.")


def encode_box_to_deltas(
    anchors: Any,
    boxes: Any,
    anchor_format: str,
    box_format: str,
    encoding_format: str = "center_yxhw",
    variance: Any = None,
    image_shape: ImageShape = None,
) -> torch.Tensor:
    """Encodes boxes as deltas from anchors: center offsets over the anchor size, and log size ratios.

    Both are first converted to ``encoding_format``; with ``'center_yxhw'`` the deltas are
    ``[(y - ya) / ha, (x - xa) / wa, log(h / ha), log(w / wa)]`` (sizes floored at epsilon),
    divided by ``variance`` when it is given. ``decode_deltas_to_boxes`` inverts it.

    Args:
        anchors: ``(N, 4)`` anchor boxes.
        boxes: ``(N, 4)`` or ``(batch, N, 4)`` boxes to encode.
        anchor_format: the format of ``anchors``.
        box_format: the format of ``boxes``.
        encoding_format: ``'center_yxhw'`` (default) or ``'center_xywh'``.
        variance: optional 4 factors the deltas are divided by.
        image_shape: ``(height, width, channels)``, needed for relative formats.

    Returns:
        The ``(..., 4)`` float32 deltas.

    Example:
        >>> import torch
        >>> from fitorch.utils import bounding_boxes
        >>> anchors = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
        >>> boxes = torch.tensor([[1.0, 2.0, 11.0, 12.0]])
        >>> bounding_boxes.encode_box_to_deltas(anchors, boxes, anchor_format="xyxy", box_format="xyxy")
        tensor([[0.2000, 0.1000, 0.0000, 0.0000]])
    """
    anchors = as_tensor(anchors)
    variance = _check_variance("encode_box_to_deltas", variance, anchors)
    _check_encoding("encode_box_to_deltas", "encoding_format", encoding_format)
    height, width = image_size("encode_box_to_deltas", image_shape)
    anchors = convert_format(anchors, source=anchor_format, target=encoding_format, height=height, width=width)
    boxes = convert_format(boxes, source=box_format, target=encoding_format, height=height, width=width)
    boxes = boxes.to(anchors.device)
    anchor_size = anchors[..., 2:].clamp(min=config.epsilon())
    box_size = boxes[..., 2:].clamp(min=config.epsilon())
    deltas = torch.cat([(boxes[..., :2] - anchors[..., :2]) / anchor_size, torch.log(box_size / anchor_size)], dim=-1)
    return deltas if variance is None else deltas / variance


def decode_deltas_to_boxes(
    anchors: Any,
    boxes_delta: Any,
    anchor_format: str,
    box_format: str,
    encoded_format: str = "center_yxhw",
    variance: Any = None,
    image_shape: ImageShape = None,
) -> Any:
    """Decodes deltas from ``encode_box_to_deltas`` (e.g. a detector's regression head) back to boxes.

    Args:
        anchors: ``(N, 4)`` anchor boxes, or a dict of them per feature level.
        boxes_delta: ``(N, 4)`` or ``(batch, N, 4)`` deltas, or a dict with the same keys as ``anchors``.
        anchor_format: the format of ``anchors``.
        box_format: the format of the returned boxes.
        encoded_format: the format the deltas were encoded in, ``'center_yxhw'`` (default) or
            ``'center_xywh'``.
        variance: optional 4 factors the deltas are multiplied by first.
        image_shape: ``(height, width, channels)``, needed for relative formats.

    Returns:
        The boxes in ``box_format`` (a dict per level when ``anchors`` is a dict).

    Example:
        >>> import torch
        >>> from fitorch.utils import bounding_boxes
        >>> anchors = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
        >>> deltas = torch.tensor([[0.2, 0.1, 0.0, 0.0]])
        >>> bounding_boxes.decode_deltas_to_boxes(anchors, deltas, anchor_format="xyxy", box_format="xyxy")
        tensor([[ 1.,  2., 11., 12.]])
    """
    _check_encoding("decode_deltas_to_boxes", "encoded_format", encoded_format)
    height, width = image_size("decode_deltas_to_boxes", image_shape)

    def decode_level(anchor: Any, delta: Any) -> torch.Tensor:
        anchor = convert_format(anchor, source=anchor_format, target=encoded_format, height=height, width=width)
        delta = as_tensor(delta, anchor)
        level_variance = _check_variance("decode_deltas_to_boxes", variance, anchor)
        if level_variance is not None:
            delta = delta * level_variance
        # (N, 4) anchors broadcast against (N, 4) or (batch, N, 4) deltas.
        box = torch.cat(
            [delta[..., :2] * anchor[..., 2:] + anchor[..., :2], torch.exp(delta[..., 2:]) * anchor[..., 2:]], dim=-1
        )
        return convert_format(box, source=encoded_format, target=box_format, height=height, width=width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {level: decode_level(anchor, boxes_delta[level]) for level, anchor in anchors.items()}
    return decode_level(anchors, boxes_delta)
