"""Box overlap as ``keras.utils.bounding_boxes``: pairwise IoU and matched-pair Complete IoU."""

from __future__ import annotations

import math
from typing import Any

import torch

from fitorch import config
from fitorch.utils.bounding_boxes.converters import ImageShape, as_tensor, convert_format, image_size


def compute_iou(
    boxes1: Any,
    boxes2: Any,
    bounding_box_format: str,
    use_masking: bool = False,
    mask_val: int = -1,
    image_shape: ImageShape = None,
) -> torch.Tensor:
    """Pairwise intersection over union of two sets of boxes.

    ``boxes1`` ``(M, 4)`` or ``(batch, M, 4)`` against ``boxes2`` ``(N, 4)`` or ``(batch, N, 4)``
    gives ``(M, N)``, or ``(batch, M, N)`` when either is batched.

    Args:
        boxes1: the first boxes.
        boxes2: the second boxes.
        bounding_box_format: the format of both (case-insensitive).
        use_masking: when ``True``, pairs where either box has all 4 coordinates negative
            (padding) get ``mask_val``.
        mask_val: the value of masked pairs (default ``-1``).
        image_shape: ``(height, width, channels)``, required for relative formats.

    Returns:
        The IoU table, float32.

    Example:
        >>> import torch
        >>> from fitorch.utils import bounding_boxes
        >>> a = torch.tensor([[0.0, 0.0, 2.0, 2.0]])
        >>> b = torch.tensor([[1.0, 0.0, 3.0, 2.0], [5.0, 5.0, 6.0, 6.0]])
        >>> bounding_boxes.compute_iou(a, b, bounding_box_format="xyxy")
        tensor([[0.3333, 0.0000]])
    """
    boxes1, boxes2 = as_tensor(boxes1), as_tensor(boxes2)
    for name, boxes in (("boxes1", boxes1), ("boxes2", boxes2)):
        if boxes.ndim not in (2, 3):
            raise ValueError(
                f"compute_iou: `{name}` must be (N, 4) or (batch, N, 4); received {name}.shape={tuple(boxes.shape)}."
            )
    if "rel" in bounding_box_format and image_shape is None:
        raise ValueError(
            f"compute_iou: `image_shape` is required for the relative format {bounding_box_format!r}; received None."
        )
    height, width = image_size("compute_iou", image_shape)
    boxes1 = convert_format(boxes1, source=bounding_box_format, target="xyxy", height=height, width=width)
    boxes2 = convert_format(boxes2, source=bounding_box_format, target="xyxy", height=height, width=width)
    boxes2 = boxes2.to(boxes1.device)
    first, second = boxes1.unsqueeze(-2), boxes2.unsqueeze(-3)  # (..., M, 1, 4), (..., 1, N, 4)
    lower = torch.maximum(first[..., :2], second[..., :2])
    upper = torch.minimum(first[..., 2:], second[..., 2:])
    size = (upper - lower).clamp(min=0)
    intersection = size[..., 0] * size[..., 1]  # (..., M, N)
    area1 = (first[..., 2] - first[..., 0]) * (first[..., 3] - first[..., 1])  # (..., M, 1)
    area2 = (second[..., 2] - second[..., 0]) * (second[..., 3] - second[..., 1])  # (..., 1, N)
    iou = intersection / (area1 + area2 - intersection + config.epsilon())
    if not use_masking:
        return iou
    padding1 = boxes1.amax(-1).unsqueeze(-1) < 0  # (..., M, 1)
    padding2 = boxes2.amax(-1).unsqueeze(-2) < 0  # (..., 1, N)
    return torch.where(padding1 | padding2, torch.full_like(iou, float(mask_val)), iou)


def compute_ciou(boxes1: Any, boxes2: Any, bounding_box_format: str, image_shape: ImageShape = None) -> torch.Tensor:
    """Complete IoU (Zheng et al. 2020) of matching boxes: IoU minus a center-distance and an aspect-ratio term.

    Unlike ``compute_iou`` this pairs ``boxes1[i]`` with ``boxes2[i]`` (the shapes broadcast),
    as a box-regression loss needs. ``1 - compute_ciou(...)`` is the CIoU loss.

    Args:
        boxes1: ``(..., 4)`` boxes.
        boxes2: ``(..., 4)`` boxes.
        bounding_box_format: the format of both; relative formats are refused, as in Keras.
        image_shape: ``(height, width, channels)``; accepted for Keras' signature.

    Returns:
        The ``(...)`` CIoU values, float32.

    Example:
        >>> import torch
        >>> from fitorch.utils import bounding_boxes
        >>> boxes = torch.tensor([[0.0, 0.0, 2.0, 2.0]])
        >>> bounding_boxes.compute_ciou(boxes, boxes, bounding_box_format="xyxy")
        tensor([1.])
    """
    if "rel" in bounding_box_format:
        raise ValueError(
            "compute_ciou: relative bounding box formats are not supported (as in Keras); received "
            f"bounding_box_format={bounding_box_format!r}. Convert the boxes to an absolute format first."
        )
    height, width = image_size("compute_ciou", image_shape)
    boxes1 = convert_format(boxes1, source=bounding_box_format, target="xyxy", height=height, width=width)
    boxes2 = convert_format(boxes2, source=bounding_box_format, target="xyxy", height=height, width=width)
    boxes2 = boxes2.to(boxes1.device)
    eps = config.epsilon()
    x_min1, y_min1, x_max1, y_max1 = boxes1.unbind(-1)
    x_min2, y_min2, x_max2, y_max2 = boxes2.unbind(-1)
    width1, height1 = x_max1 - x_min1, y_max1 - y_min1 + eps
    width2, height2 = x_max2 - x_min2, y_max2 - y_min2 + eps
    intersection = (torch.minimum(x_max1, x_max2) - torch.maximum(x_min1, x_min2)).clamp(min=0) * (
        torch.minimum(y_max1, y_max2) - torch.maximum(y_min1, y_min2)
    ).clamp(min=0)
    union = width1 * height1 + width2 * height2 - intersection + eps
    iou = intersection / (union + eps)
    convex_width = torch.maximum(x_max1, x_max2) - torch.minimum(x_min1, x_min2)
    convex_height = torch.maximum(y_max1, y_max2) - torch.minimum(y_min1, y_min2)
    convex_diagonal_squared = convex_width**2 + convex_height**2 + eps
    centers_distance_squared = ((x_min1 + x_max1) / 2 - (x_min2 + x_max2) / 2) ** 2 + (
        (y_min1 + y_max1) / 2 - (y_min2 + y_max2) / 2
    ) ** 2
    v = (4 / math.pi**2) * (torch.atan(width2 / height2) - torch.atan(width1 / height1)) ** 2
    alpha = v / (v - iou + (1 + eps))
    return iou - (centers_distance_squared / convex_diagonal_squared + v * alpha)
