"""Box formats and ``convert_format``, with the small helpers the other ``bounding_boxes`` modules share."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config

SUPPORTED_FORMATS = (
    "xyxy",
    "yxyx",
    "xywh",
    "center_xywh",
    "center_yxhw",
    "rel_xyxy",
    "rel_yxyx",
    "rel_xywh",
    "rel_center_xywh",
)
ENCODING_FORMATS = ("center_xywh", "center_yxhw")

ImageShape = tuple[int, int, int] | list[int] | None


def as_tensor(value: Any, like: torch.Tensor | None = None, dtype: torch.dtype | None = None) -> torch.Tensor:
    """``value`` as a tensor on ``like``'s device (a NumPy array or a list is copied once)."""
    device = None if like is None else like.device
    return torch.as_tensor(value, dtype=dtype, device=device)


def check_boxes(function: str, boxes: torch.Tensor, name: str = "boxes") -> None:
    """Raises a ValueError naming ``function`` unless ``boxes`` has a last axis of size 4."""
    if boxes.ndim == 0 or boxes.shape[-1] != 4:
        raise ValueError(
            f"{function}: `{name}` must have a last axis of size 4, (N, 4) or (batch, N, 4); "
            f"received {name}.shape={tuple(boxes.shape)}."
        )


def image_size(function: str, image_shape: ImageShape) -> tuple[Any, Any]:
    """``(height, width)`` of an ``image_shape`` ``(height, width, channels)``, or ``(None, None)``."""
    if image_shape is None:
        return None, None
    if len(image_shape) != 3:
        raise ValueError(
            f"{function}: `image_shape` must be (height, width, channels); received image_shape={image_shape!r}."
        )
    height, width, _ = image_shape
    return height, width


def _to_xyxy(boxes: torch.Tensor, source: str, height: Any, width: Any) -> torch.Tensor:
    """``boxes`` in ``source`` format -> absolute ``xyxy`` (Keras' operation order, for equal rounding)."""
    a, b, c, d = boxes.unbind(-1)
    if source == "xyxy":
        return boxes
    if source == "yxyx":
        x1, y1, x2, y2 = b, a, d, c
    elif source == "xywh":
        x1, y1, x2, y2 = a, b, a + c, b + d
    elif source in ("center_xywh", "center_yxhw"):
        cx, cy, w, h = (a, b, c, d) if source == "center_xywh" else (b, a, d, c)
        x1, y1, x2, y2 = cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0
    elif source == "rel_xyxy":
        x1, y1, x2, y2 = a * width, b * height, c * width, d * height
    elif source == "rel_yxyx":
        x1, y1, x2, y2 = b * width, a * height, d * width, c * height
    elif source == "rel_xywh":
        x1, y1, x2, y2 = a * width, b * height, (a + c) * width, (b + d) * height
    else:  # rel_center_xywh
        x1, y1 = (a - c / 2.0) * width, (b - d / 2.0) * height
        x2, y2 = (a + c / 2.0) * width, (b + d / 2.0) * height
    return torch.stack([x1, y1, x2, y2], dim=-1)


def _from_xyxy(boxes: torch.Tensor, target: str, height: Any, width: Any) -> torch.Tensor:
    """Absolute ``xyxy`` ``boxes`` -> ``target`` format."""
    x1, y1, x2, y2 = boxes.unbind(-1)
    if target == "xyxy":
        return boxes
    if target == "yxyx":
        values = [y1, x1, y2, x2]
    elif target == "xywh":
        values = [x1, y1, x2 - x1, y2 - y1]
    elif target in ("center_xywh", "center_yxhw"):
        cx, cy, w, h = x1 + (x2 - x1) / 2.0, y1 + (y2 - y1) / 2.0, x2 - x1, y2 - y1
        values = [cx, cy, w, h] if target == "center_xywh" else [cy, cx, h, w]
    elif target == "rel_xyxy":
        values = [x1 / width, y1 / height, x2 / width, y2 / height]
    elif target == "rel_yxyx":
        values = [y1 / height, x1 / width, y2 / height, x2 / width]
    elif target == "rel_xywh":
        values = [x1 / width, y1 / height, (x2 - x1) / width, (y2 - y1) / height]
    else:  # rel_center_xywh
        values = [
            (x1 + (x2 - x1) / 2.0) / width,
            (y1 + (y2 - y1) / 2.0) / height,
            (x2 - x1) / width,
            (y2 - y1) / height,
        ]
    return torch.stack(values, dim=-1)


def convert_format(
    boxes: Any,
    source: str,
    target: str,
    height: Any = None,
    width: Any = None,
    dtype: str | torch.dtype = "float32",
) -> Any:
    """Converts bounding boxes from one format to another (see the module docstring for the formats).

    Use it to bring boxes to the format a model or a loss expects, e.g. ``'xyxy'`` pixels to
    ``'rel_center_xywh'``.

    Args:
        boxes: ``(..., 4)`` boxes, or a dict whose ``'boxes'`` entry holds them (the other entries,
            e.g. ``'labels'``, are kept; a new dict is returned).
        source: the format of ``boxes`` (case-insensitive).
        target: the format to return (case-insensitive).
        height: the image height; required when ``source`` or ``target`` is relative.
        width: the image width; required when ``source`` or ``target`` is relative.
        dtype: the dtype the boxes are cast to first (default ``'float32'``).

    Returns:
        The converted ``(..., 4)`` boxes (or the dict with its ``'boxes'`` converted).

    Raises:
        ValueError: for an unknown format, a last axis other than 4, or a relative format without
            ``height`` and ``width``.

    Example:
        >>> import torch
        >>> from fitorch.utils import bounding_boxes
        >>> boxes = torch.tensor([[10.0, 20.0, 30.0, 40.0]])
        >>> bounding_boxes.convert_format(boxes, source="xyxy", target="xywh")
        tensor([[10., 20., 20., 20.]])
        >>> bounding_boxes.convert_format(boxes, source="xyxy", target="rel_xyxy", height=200, width=100)
        tensor([[0.1000, 0.1000, 0.3000, 0.2000]])
    """
    if isinstance(boxes, dict):
        converted = convert_format(boxes["boxes"], source, target, height=height, width=width, dtype=dtype)
        return {**boxes, "boxes": converted}
    boxes = as_tensor(boxes)
    check_boxes("convert_format", boxes)
    for name, value in (("source", source), ("target", target)):
        if not isinstance(value, str) or value.lower() not in SUPPORTED_FORMATS:
            raise ValueError(
                f"convert_format: `{name}` must be one of {list(SUPPORTED_FORMATS)}; received {name}={value!r}."
            )
    source, target = source.lower(), target.lower()
    if (source.startswith("rel_") or target.startswith("rel_")) and (height is None or width is None):
        raise ValueError(
            "convert_format: `height` and `width` are required to convert between relative and absolute "
            f"formats; received source={source!r}, target={target!r}, height={height}, width={width}."
        )
    dtype = config.standardize_dtype(dtype)
    boxes = boxes.to(dtype)
    if source == target:
        return boxes
    height = None if height is None else as_tensor(height, boxes, dtype)
    width = None if width is None else as_tensor(width, boxes, dtype)
    if source.startswith("rel_") and target.startswith("rel_"):
        # Relative to relative needs no image size: both sides share the same scale.
        source, target = source[len("rel_") :], target[len("rel_") :]
    return _from_xyxy(_to_xyxy(boxes, source, height, width), target, height, width)
