"""Bounding-box utilities, as ``keras.utils.bounding_boxes``: format conversion, clipping, cropping,
padding and affine transforms of boxes, IoU / CIoU, and anchor delta encoding.

Boxes are torch tensors (NumPy arrays and nested lists are accepted) whose last axis holds the
4 coordinates, ``(N, 4)`` or ``(batch, N, 4)``. The formats (case-insensitive) are:

- ``"xyxy"``: ``[left, top, right, bottom]``
- ``"yxyx"``: ``[top, left, bottom, right]``
- ``"xywh"``: ``[left, top, width, height]``
- ``"center_xywh"``: ``[center_x, center_y, width, height]``
- ``"center_yxhw"``: ``[center_y, center_x, height, width]``
- ``"rel_xyxy"``, ``"rel_yxyx"``, ``"rel_xywh"``, ``"rel_center_xywh"``: the same with coordinates
  divided by the image ``width`` (x) and ``height`` (y), so they lie in ``[0, 1]``.

Every function keeps the device of its input boxes.
"""

from fitorch.utils.bounding_boxes.anchors import decode_deltas_to_boxes as decode_deltas_to_boxes
from fitorch.utils.bounding_boxes.anchors import encode_box_to_deltas as encode_box_to_deltas
from fitorch.utils.bounding_boxes.converters import SUPPORTED_FORMATS as SUPPORTED_FORMATS
from fitorch.utils.bounding_boxes.converters import convert_format as convert_format
from fitorch.utils.bounding_boxes.geometry import affine_transform as affine_transform
from fitorch.utils.bounding_boxes.geometry import clip_to_image_size as clip_to_image_size
from fitorch.utils.bounding_boxes.geometry import crop as crop
from fitorch.utils.bounding_boxes.geometry import pad as pad
from fitorch.utils.bounding_boxes.iou import compute_ciou as compute_ciou
from fitorch.utils.bounding_boxes.iou import compute_iou as compute_iou

__all__ = [
    "affine_transform", "clip_to_image_size", "compute_ciou", "compute_iou", "convert_format", "crop",
    "decode_deltas_to_boxes", "encode_box_to_deltas", "pad",
]  # fmt: skip
