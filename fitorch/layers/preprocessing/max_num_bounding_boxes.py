"""``MaxNumBoundingBoxes``: pads or truncates the bounding boxes of a detection batch to a fixed count."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import torch

from fitorch import config
from fitorch.layers.layer import Layer

_KEYS = ("images", "labels", "bounding_boxes", "segmentation_masks")


class MaxNumBoundingBoxes(Layer):
    """Makes every image carry exactly ``max_number`` bounding boxes: extra boxes are dropped, missing ones padded.

    Object-detection data has a varying number of boxes per image; a batch (and a compiled
    model) needs a fixed count. The layer takes Keras' detection dict and returns it with
    ``bounding_boxes['boxes']`` shaped ``(batch, max_number, 4)`` and
    ``bounding_boxes['labels']`` shaped ``(batch, max_number)``: the first ``max_number``
    boxes are kept and the rest of the slots hold ``fill_value`` (boxes and labels alike).
    Images, labels and segmentation masks pass through unchanged, in training and inference
    alike. The box format does not matter.

    Args:
        max_number: int > 0, the number of boxes per image in the output.
        fill_value: int, the value of padded boxes and labels (default ``-1``).
        bounding_box_format: optional; accepted (and kept in the config) for Keras'
            signature, which requires it when ``'bounding_boxes'`` are passed. fitorch does
            not need it, since padding is the same in every format.
        data_format: optional; accepted for Keras configs (unused).

    Call arguments:
        inputs: a dict with ``'bounding_boxes'`` (a dict of ``'boxes'`` ``(batch, N, 4)`` and
            ``'labels'`` ``(batch, N)``, or ``(N, 4)`` and ``(N,)`` for one image) and
            optionally ``'images'``, ``'labels'``, ``'segmentation_masks'``. A plain tensor of
            images is returned unchanged.

    Input shape:
        The dict above; ``N`` may differ from ``max_number``.

    Output shape:
        The same dict with ``N`` replaced by ``max_number``; boxes are float32.

    Example:
        >>> import torch
        >>> from fitorch.layers import MaxNumBoundingBoxes
        >>> data = {"images": torch.zeros(1, 8, 8, 3),
        ...         "bounding_boxes": {"boxes": torch.tensor([[[1.0, 2.0, 5.0, 6.0]]]), "labels": torch.tensor([[3]])}}
        >>> out = MaxNumBoundingBoxes(max_number=2)(data)["bounding_boxes"]
        >>> out["boxes"]
        tensor([[[ 1.,  2.,  5.,  6.],
                 [-1., -1., -1., -1.]]])
        >>> out["labels"]
        tensor([[ 3, -1]])
    """

    _converts_numpy = False  # its boxes become tensors; images and labels pass through as given, as in Keras

    def __init__(
        self,
        max_number: int,
        fill_value: int = -1,
        bounding_box_format: str | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not isinstance(max_number, Integral) or isinstance(max_number, bool) or max_number < 1:
            raise ValueError(f"{self._owner}: max_number must be an int > 0; received max_number={max_number!r}.")
        if not isinstance(fill_value, Integral) or isinstance(fill_value, bool):
            raise ValueError(f"{self._owner}: fill_value must be an int; received fill_value={fill_value!r}.")
        if bounding_box_format is not None and not isinstance(bounding_box_format, str):
            raise TypeError(
                f"{self._owner}: bounding_box_format must be a string such as 'xyxy' or None; "
                f"received {bounding_box_format!r}."
            )
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)
        self.bounding_box_format = bounding_box_format
        self.data_format = config.standardize_data_format(data_format)

    @property
    def _owner(self) -> str:
        return f"MaxNumBoundingBoxes {self.name!r}"

    def _fit(self, values: torch.Tensor) -> torch.Tensor:
        """Truncates or pads axis 1 of a batched ``values`` to ``max_number`` with ``fill_value``."""
        values = values[:, : self.max_number]
        missing = self.max_number - values.shape[1]
        if missing == 0:
            return values
        padding = values.new_full((values.shape[0], missing, *values.shape[2:]), self.fill_value)
        return torch.cat([values, padding], dim=1)

    def transform_bounding_boxes(self, bounding_boxes: dict[str, Any]) -> dict[str, Any]:
        """``{'boxes': (B, N, 4) or (N, 4), 'labels': (B, N) or (N,)}`` -> the same with ``max_number`` boxes."""
        if not isinstance(bounding_boxes, dict) or not {"boxes", "labels"} <= set(bounding_boxes):
            received = sorted(bounding_boxes) if isinstance(bounding_boxes, dict) else type(bounding_boxes).__name__
            raise ValueError(
                f"{self._owner}: 'bounding_boxes' must be a dict with the keys 'boxes' and 'labels'; received {received}."
            )
        boxes = torch.as_tensor(bounding_boxes["boxes"], dtype=torch.float32)
        labels = torch.as_tensor(bounding_boxes["labels"], device=boxes.device)
        if boxes.ndim not in (2, 3) or boxes.shape[-1] != 4 or labels.shape != boxes.shape[:-1]:
            raise ValueError(
                f"{self._owner}: expected boxes (batch, N, 4) with labels (batch, N), or (N, 4) with (N,); "
                f"received boxes.shape={tuple(boxes.shape)}, labels.shape={tuple(labels.shape)}."
            )
        unbatched = boxes.ndim == 2
        if unbatched:
            boxes, labels = boxes[None], labels[None]
        boxes, labels = self._fit(boxes), self._fit(labels)
        if unbatched:
            boxes, labels = boxes[0], labels[0]
        return {**bounding_boxes, "boxes": boxes, "labels": labels}

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        if not isinstance(inputs, dict):
            return inputs
        unknown = sorted(set(inputs) - set(_KEYS))
        if unknown:
            raise ValueError(
                f"{self._owner}: a dict input may only have the keys {list(_KEYS)}; received unknown keys {unknown}."
            )
        if "bounding_boxes" not in inputs:
            return dict(inputs)
        return {**inputs, "bounding_boxes": self.transform_bounding_boxes(inputs["bounding_boxes"])}

    def compute_output_shape(self, input_shape: Any) -> Any:
        if not isinstance(input_shape, dict) or "bounding_boxes" not in input_shape:
            return input_shape
        shapes = input_shape["bounding_boxes"]
        extra = sorted(set(shapes) - {"boxes", "labels"})
        if extra:
            raise ValueError(
                f"{self._owner}: only 'boxes' and 'labels' are supported in 'bounding_boxes'; got {extra}."
            )
        boxes, labels = list(shapes["boxes"]), list(shapes["labels"])
        # The box axis is the one before the last of 'boxes' and the last of 'labels'.
        boxes[-2], labels[-1] = self.max_number, self.max_number
        return {**input_shape, "bounding_boxes": {"boxes": tuple(boxes), "labels": tuple(labels)}}

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "max_number": self.max_number,
            "fill_value": self.fill_value,
            "bounding_box_format": self.bounding_box_format,
            "data_format": self.data_format,
        }
