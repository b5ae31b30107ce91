"""Box geometry as ``keras.utils.bounding_boxes``: clipping to the image, cropping, padding, affine transforms."""

from __future__ import annotations

import math
from typing import Any

import torch

from fitorch.utils.bounding_boxes.converters import as_tensor, check_boxes


def _check_xyxy_only(function: str, bounding_box_format: str) -> None:
    """Keras implements these functions for ``'xyxy'`` only; other formats are refused."""
    if bounding_box_format != "xyxy":
        raise ValueError(
            f"{function}: only bounding_box_format='xyxy' is supported (as in Keras); received "
            f"bounding_box_format={bounding_box_format!r}. Convert first with "
            "`convert_format(boxes, source=..., target='xyxy')`."
        )


def _clip(values: torch.Tensor, upper: Any) -> torch.Tensor:
    """``clip(values, 0, upper)``; ``upper=None`` only clips below."""
    values = values.clamp(min=0)
    if upper is None:
        return values
    return torch.minimum(values, as_tensor(upper, values, values.dtype))


def clip_to_image_size(
    bounding_boxes: dict[str, Any],
    height: Any = None,
    width: Any = None,
    bounding_box_format: str = "xyxy",
) -> dict[str, Any]:
    """Clips boxes to the image and marks the labels of boxes left with no area as ``-1``.

    Args:
        bounding_boxes: a dict with ``'boxes'`` ``(N, 4)`` or ``(batch, N, 4)`` and optionally
            ``'labels'`` ``(N,)`` or ``(batch, N)``.
        height: the image height (required for ``'xyxy'``).
        width: the image width (required for ``'xyxy'``).
        bounding_box_format: ``'xyxy'`` (default; clipped to ``[0, width] x [0, height]``) or
            ``'rel_xyxy'`` (clipped to ``[0, 1]``).

    Returns:
        A new dict with the clipped ``'boxes'`` and, when given, the updated ``'labels'``.

    Example:
        >>> import torch
        >>> from fitorch.utils import bounding_boxes
        >>> data = {"boxes": torch.tensor([[-10.0, -20.0, 150.0, 160.0], [130.0, 40.0, 170.0, 80.0]]),
        ...         "labels": torch.tensor([0, 1])}
        >>> clipped = bounding_boxes.clip_to_image_size(data, height=100, width=120)
        >>> clipped["boxes"]
        tensor([[  0.,   0., 120., 100.],
                [120.,  40., 120.,  80.]])
        >>> clipped["labels"]  # the second box has no area left
        tensor([ 0, -1])
    """
    if not isinstance(bounding_boxes, dict) or "boxes" not in bounding_boxes:
        raise TypeError(
            "clip_to_image_size: `bounding_boxes` must be a dict with a 'boxes' entry (and optionally 'labels'); "
            f"received {type(bounding_boxes).__name__}."
        )
    if bounding_box_format not in ("xyxy", "rel_xyxy"):
        raise ValueError(
            "clip_to_image_size: bounding_box_format must be 'xyxy' or 'rel_xyxy' (as in Keras); received "
            f"bounding_box_format={bounding_box_format!r}."
        )
    if bounding_box_format == "xyxy" and (height is None or width is None):
        raise ValueError(
            "clip_to_image_size: `height` and `width` are required for bounding_box_format='xyxy'; "
            f"received height={height}, width={width}."
        )
    boxes = as_tensor(bounding_boxes["boxes"])
    check_boxes("clip_to_image_size", boxes)
    if bounding_box_format == "rel_xyxy":
        height = width = 1.0
    x1, y1, x2, y2 = boxes.unbind(-1)
    boxes = torch.stack([_clip(x1, width), _clip(y1, height), _clip(x2, width), _clip(y2, height)], dim=-1)
    result = {**bounding_boxes, "boxes": boxes}
    if bounding_boxes.get("labels") is not None:
        labels = as_tensor(bounding_boxes["labels"], boxes)
        areas = (boxes[..., 2] - boxes[..., 0]) * (boxes[..., 3] - boxes[..., 1])
        result["labels"] = torch.where(areas > 0, labels, torch.full_like(labels, -1))
    return result


def _inverse_affine_matrix(
    center_x: torch.Tensor,
    center_y: torch.Tensor,
    angle: torch.Tensor,
    translate_x: torch.Tensor,
    translate_y: torch.Tensor,
    scale: torch.Tensor,
    shear_x: torch.Tensor,
    shear_y: torch.Tensor,
    height: Any,
    width: Any,
) -> torch.Tensor:
    """The ``(B, 2, 3)`` rows ``[[a0, a1, a2], [b0, b1, b2]]`` of Keras' (torchvision's) inverse affine map."""
    angle, shear_x, shear_y = -angle, -shear_x, -shear_y
    cx, cy = center_x * (width - 1), center_y * (height - 1)
    rot = angle * (1.0 / 180.0 * math.pi)
    tx, ty = -translate_x * (width - 1), -translate_y * (height - 1)
    sx, sy = shear_x * (1.0 / 180.0 * math.pi), shear_y * (1.0 / 180.0 * math.pi)
    cos_sy, tan_sx = torch.cos(sy), torch.tan(sx)
    cx_plus_tx, cy_plus_ty = cx + tx, cy + ty
    # Rotation-shear matrix [[a, b], [c, d]] (determinant 1), inverted and scaled.
    a = torch.cos(rot - sy) / cos_sy
    b = a * tan_sx + torch.sin(rot)
    c = -torch.sin(rot - sy) / cos_sy
    d = torch.cos(rot) - c * tan_sx
    a0, a1, b0, b1 = d * scale, -b * scale, -c * scale, a * scale
    a2 = cx - a0 * cx_plus_tx - a1 * cy_plus_ty
    b2 = cy - b0 * cx_plus_tx - b1 * cy_plus_ty
    return torch.stack([a0, a1, a2, b0, b1, b2], dim=-1).reshape(-1, 2, 3)


def affine_transform(
    boxes: Any,
    angle: Any,
    translate_x: Any,
    translate_y: Any,
    scale: Any,
    shear_x: Any,
    shear_y: Any,
    height: Any,
    width: Any,
    center_x: Any = None,
    center_y: Any = None,
    bounding_box_format: str = "xyxy",
) -> torch.Tensor:
    """Applies a rotation / translation / scale / shear to boxes and returns the boxes around the moved corners.

    The transform is the one Keras' ``RandomRotation``-family layers build: ``height`` and
    ``width`` scale the translation and center fractions to pixels. Each parameter is a number
    or one value per batch item, ``(batch,)``.

    Args:
        boxes: ``'xyxy'`` boxes, ``(batch, N, 4)`` (or ``(N, 4)``, taken as a batch of one).
        angle: rotation angle in degrees.
        translate_x: horizontal translation, a fraction of the width.
        translate_y: vertical translation, a fraction of the height.
        scale: scaling factor.
        shear_x: shear angle along x in degrees.
        shear_y: shear angle along y in degrees.
        height: image height.
        width: image width.
        center_x: x of the transform center, a fraction of the width (default ``0.5``).
        center_y: y of the transform center, a fraction of the height (default ``0.5``).
        bounding_box_format: must be ``'xyxy'`` (the only one Keras supports here).

    Returns:
        The transformed ``'xyxy'`` boxes, shaped like ``boxes``.

    Example:
        >>> import torch
        >>> from fitorch.utils import bounding_boxes
        >>> boxes = torch.tensor([[[0.0, 0.0, 2.0, 2.0]]])
        >>> bounding_boxes.affine_transform(boxes, angle=0.0, translate_x=0.5, translate_y=0.0, scale=1.0,
        ...                                 shear_x=0.0, shear_y=0.0, height=5, width=5)
        tensor([[[2., 0., 4., 2.]]])
    """
    _check_xyxy_only("affine_transform", bounding_box_format)
    boxes = as_tensor(boxes)
    check_boxes("affine_transform", boxes)
    if boxes.ndim not in (2, 3):
        raise ValueError(
            f"affine_transform: `boxes` must be (N, 4) or (batch, N, 4); received boxes.shape={tuple(boxes.shape)}."
        )
    unbatched = boxes.ndim == 2
    if unbatched:
        boxes = boxes.unsqueeze(0)
    angle = as_tensor(angle, boxes)
    dtype = angle.dtype if angle.is_floating_point() else torch.float32
    params = [
        as_tensor(value, boxes, dtype).reshape(-1)
        for value in (0.5 if center_x is None else center_x, 0.5 if center_y is None else center_y,
                      angle, translate_x, translate_y, scale, shear_x, shear_y)
    ]  # fmt: skip
    params = torch.broadcast_tensors(*params)  # each (B,) or (1,)
    matrix = _inverse_affine_matrix(*params, height=height, width=width)  # (B, 2, 3)
    boxes = boxes.to(dtype)
    x1, y1, x2, y2 = boxes.unbind(-1)
    corners_x = torch.stack([x1, x2, x2, x1], dim=-1)  # (B, N, 4 corners)
    corners_y = torch.stack([y1, y1, y2, y2], dim=-1)
    row_x, row_y = matrix[:, 0, :, None, None], matrix[:, 1, :, None, None]  # (B, 3, 1, 1)
    new_x = row_x[:, 0] * corners_x + row_x[:, 1] * corners_y + row_x[:, 2]
    new_y = row_y[:, 0] * corners_x + row_y[:, 1] * corners_y + row_y[:, 2]
    out = torch.stack([new_x.amin(-1), new_y.amin(-1), new_x.amax(-1), new_y.amax(-1)], dim=-1)
    return out.squeeze(0) if unbatched else out


def crop(boxes: Any, top: Any, left: Any, height: Any, width: Any, bounding_box_format: str = "xyxy") -> torch.Tensor:
    """Moves boxes into the frame of a crop starting at ``(top, left)`` and clips them to its size.

    Args:
        boxes: ``'xyxy'`` boxes, ``(N, 4)`` or ``(batch, N, 4)``.
        top: the crop's top offset in pixels.
        left: the crop's left offset in pixels.
        height: the crop height (``None``: no clipping at the bottom).
        width: the crop width (``None``: no clipping at the right).
        bounding_box_format: must be ``'xyxy'`` (the only one Keras supports here).

    Returns:
        The cropped boxes, shaped like ``boxes``.

    Example:
        >>> import torch
        >>> from fitorch.utils import bounding_boxes
        >>> boxes = torch.tensor([[10.0, 20.0, 50.0, 60.0], [70.0, 80.0, 100.0, 120.0]])
        >>> bounding_boxes.crop(boxes, top=10, left=20, height=40, width=30)
        tensor([[ 0., 10., 30., 40.],
                [30., 40., 30., 40.]])
    """
    _check_xyxy_only("crop", bounding_box_format)
    boxes = as_tensor(boxes)
    check_boxes("crop", boxes)
    x1, y1, x2, y2 = boxes.unbind(-1)
    values = [_clip(x1 - left, width), _clip(y1 - top, height), _clip(x2 - left, width), _clip(y2 - top, height)]
    return torch.stack(values, dim=-1)


def pad(
    boxes: Any, top: Any, left: Any, height: Any = None, width: Any = None, bounding_box_format: str = "xyxy"
) -> torch.Tensor:
    """Shifts boxes by the ``top`` and ``left`` padding added to their image.

    Args:
        boxes: ``'xyxy'`` boxes, ``(N, 4)`` or ``(batch, N, 4)``.
        top: rows of padding added above the image.
        left: columns of padding added left of the image.
        height: unused (kept for Keras' signature).
        width: unused (kept for Keras' signature).
        bounding_box_format: must be ``'xyxy'`` (the only one Keras supports here).

    Returns:
        The shifted boxes, shaped like ``boxes``.

    Example:
        >>> import torch
        >>> from fitorch.utils import bounding_boxes
        >>> bounding_boxes.pad(torch.tensor([[10.0, 20.0, 50.0, 60.0]]), top=5, left=2)
        tensor([[12., 25., 52., 65.]])
    """
    _check_xyxy_only("pad", bounding_box_format)
    boxes = as_tensor(boxes)
    check_boxes("pad", boxes)
    x1, y1, x2, y2 = boxes.unbind(-1)
    return torch.stack([x1 + left, y1 + top, x2 + left, y2 + top], dim=-1)
