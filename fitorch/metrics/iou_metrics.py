"""Intersection-over-union metrics: ``IoU``, ``MeanIoU``, ``BinaryIoU``, ``OneHotIoU``, ``OneHotMeanIoU``.

All accumulate one ``(num_classes, num_classes)`` confusion matrix (rows: true class,
columns: predicted class) on the device, with a fixed-size scatter-add, so no update
reads a value back to the host. (``torchmetrics``' Jaccard index gives the same
numbers without weights, but sizes its ``bincount`` from the data, which waits for
the GPU, and takes no ``sample_weight``; so these are written here.)

As in Keras the counts are integers by default (``dtype=None``): float sample
weights are truncated. Pass ``dtype='float32'`` to count fractional weights.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import torch

from fitorch import config
from fitorch.metrics.metric import Metric, dtype_name, standardize_dtype


class IoU(Metric):
    """The mean intersection-over-union of the classes in ``target_class_ids``.

    ``IoU = TP / (TP + FP + FN)`` per class, from the confusion matrix of every batch
    seen; classes that never occur (in targets or predictions) are left out of the
    mean.

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes to average over.
        name: defaults to ``'io_u'`` (Keras' name).
        dtype: ``None`` (integer counts, default) or a float dtype.
        ignore_class: optional class id whose targets are ignored.
        sparse_y_true: whether targets are class ids (``True``) or one-hot.
        sparse_y_pred: whether predictions are class ids (``True``) or scores.
        axis: the class axis of one-hot/score inputs. Defaults to -1.

    Example:
        >>> m = IoU(num_classes=2, target_class_ids=[0])
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> round(float(m.result()), 4)
        0.3333
    """

    _direction = "up"
    _config_keys = ("target_class_ids", "sparse_y_true", "sparse_y_pred", "axis")

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: str | torch.dtype | None = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ) -> None:
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
            raise ValueError(f"Argument `num_classes` must be an int >= 1. Received: num_classes={num_classes!r}")
        # Keras counts in integers unless a float dtype is asked for.
        self._count_dtype = (
            torch.int64 if dtype is None or dtype in ("int", "int32", "int64") else standardize_dtype(dtype)
        )
        super().__init__(name=name, dtype=None if self._count_dtype == torch.int64 else dtype)
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.add_state("total_cm", shape=(num_classes, num_classes), dtype=self._count_dtype)
        target_class_ids = list(target_class_ids)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which is [0, {num_classes}).")
        self.target_class_ids = target_class_ids
        self.register_buffer("target_class_ids_tensor", torch.tensor(target_class_ids), persistent=False)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred = torch.as_tensor(y_pred)
        self.follow_device(y_pred)
        device = self.state_device()
        y_true = torch.as_tensor(y_true, device=device)
        y_pred = y_pred.to(device)
        if not self.sparse_y_true:
            y_true = y_true.argmax(dim=self.axis)
        if not self.sparse_y_pred:
            y_pred = y_pred.argmax(dim=self.axis)
        y_true = y_true.to(self._count_dtype).reshape(-1)
        y_pred = y_pred.to(self._count_dtype).reshape(-1)
        if sample_weight is None:
            weight = torch.ones_like(y_true)
        else:
            weight = torch.as_tensor(sample_weight, device=device)
            if weight.is_floating_point() and not self._count_dtype.is_floating_point:
                warnings.warn(
                    "You are passing weight as `float`, but dtype is `int`. This may result in an incorrect "
                    "weight due to type casting Consider using integer weights.",
                    stacklevel=2,
                )
            weight = weight.to(self._count_dtype).reshape(-1).broadcast_to(y_true.shape)
        in_bounds = (y_true >= 0) & (y_true < self.num_classes) & (y_pred >= 0) & (y_pred < self.num_classes)
        if self.ignore_class is not None:
            in_bounds &= y_true != self.ignore_class
        # Out-of-range entries land on (0, 0) with weight 0.
        y_true = torch.where(in_bounds, y_true, 0).long()
        y_pred = torch.where(in_bounds, y_pred, 0).long()
        weight = torch.where(in_bounds, weight, 0)
        flat = y_true * self.num_classes + y_pred
        self.total_cm.view(-1).index_add_(0, flat, weight.to(self._count_dtype))

    def _iou_per_class(self) -> tuple[torch.Tensor, torch.Tensor]:
        """``(true_positives, denominator)`` per class, as float32."""
        cm = self.total_cm
        sum_over_row = cm.sum(dim=0).to(torch.float32)
        sum_over_col = cm.sum(dim=1).to(torch.float32)
        true_positives = torch.diagonal(cm).to(torch.float32)
        return true_positives, sum_over_row + sum_over_col - true_positives

    def _mean_iou(self, class_ids: torch.Tensor) -> torch.Tensor:
        true_positives, denominator = self._iou_per_class()
        true_positives, denominator = true_positives[class_ids], denominator[class_ids]
        valid = denominator > 1e-9
        iou = torch.where(valid, true_positives / (denominator + config.epsilon()), 0.0)
        return iou.sum() / (valid.sum().to(torch.float32) + config.epsilon())

    def _base_config(self) -> dict[str, Any]:
        dtype = None if self._count_dtype == torch.int64 else dtype_name(self._count_dtype)
        return {"name": self.name, "dtype": dtype, "num_classes": self.num_classes, "ignore_class": self.ignore_class}

    def result(self) -> torch.Tensor:
        return self._mean_iou(self.target_class_ids_tensor)

    def get_config(self) -> dict[str, Any]:
        config = self._base_config()
        config.update((key, getattr(self, key)) for key in self._config_keys)
        return config


class BinaryIoU(IoU):
    """IoU for binary targets against probabilities: scores ``>= threshold`` are class 1.

    Args:
        target_class_ids: ``(0, 1)`` (default, the mean of both), ``[0]`` or ``[1]``.
        threshold: the cut-off. Defaults to 0.5.
        name: defaults to ``'binary_io_u'``.
        dtype: ``None`` (integer counts, default) or a float dtype.

    Example:
        >>> m = BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
        >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
        >>> round(float(m.result()), 4)
        0.3333
    """

    def __init__(self, target_class_ids: Sequence[int] = (0, 1), threshold: float = 0.5, name: str | None = None,
                 dtype: str | torch.dtype | None = None) -> None:  # fmt: skip
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred = torch.as_tensor(y_pred)
        super().update_state(y_true, (y_pred.to(torch.float32) >= self.threshold).to(torch.int64), sample_weight)

    def get_config(self) -> dict[str, Any]:
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self._base_config()["dtype"],
        }


class MeanIoU(IoU):
    """The mean intersection-over-union over all classes: the standard segmentation metric.

    Args:
        num_classes: the number of classes.
        name: defaults to ``'mean_io_u'`` (Keras' name).
        dtype: ``None`` (integer counts, default) or a float dtype.
        ignore_class: optional class id whose targets are ignored.
        sparse_y_true: whether targets are class ids (``True``) or one-hot.
        sparse_y_pred: whether predictions are class ids (``True``) or scores.
        axis: the class axis of one-hot/score inputs. Defaults to -1.

    Example:
        >>> m = MeanIoU(num_classes=2)
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> round(float(m.result()), 4)
        0.3333
    """

    _config_keys = ("sparse_y_true", "sparse_y_pred", "axis")

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: str | torch.dtype | None = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ) -> None:
        super().__init__(num_classes, list(range(num_classes)), name, dtype, ignore_class, sparse_y_true,
                         sparse_y_pred, axis)  # fmt: skip


class OneHotIoU(IoU):
    """IoU with one-hot targets and score predictions (both reduced with ``argmax``).

    Args:
        num_classes: the number of classes.
        target_class_ids: the classes to average over.
        name: defaults to ``'one_hot_io_u'``.
        dtype: ``None`` (integer counts, default) or a float dtype.
        ignore_class: optional class id whose targets are ignored.
        sparse_y_pred: whether predictions are class ids. Defaults to ``False``.
        axis: the class axis. Defaults to -1.

    Example:
        >>> m = OneHotIoU(num_classes=3, target_class_ids=[0, 2])
        >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
        ...                [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
        >>> round(float(m.result()), 4)
        0.1667
    """

    _config_keys = ("target_class_ids", "sparse_y_pred", "axis")

    def __init__(self, num_classes: int, target_class_ids: Sequence[int], name: str | None = None,
                 dtype: str | torch.dtype | None = None, ignore_class: int | None = None,
                 sparse_y_pred: bool = False, axis: int = -1) -> None:  # fmt: skip
        super().__init__(num_classes, target_class_ids, name, dtype, ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)  # fmt: skip


class OneHotMeanIoU(MeanIoU):
    """Mean IoU with one-hot targets and score predictions (both reduced with ``argmax``).

    Args:
        num_classes: the number of classes.
        name: defaults to ``'one_hot_mean_io_u'``.
        dtype: ``None`` (integer counts, default) or a float dtype.
        ignore_class: optional class id whose targets are ignored.
        sparse_y_pred: whether predictions are class ids. Defaults to ``False``.
        axis: the class axis. Defaults to -1.

    Example:
        >>> m = OneHotMeanIoU(num_classes=3)
        >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
        ...                [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
        >>> round(float(m.result()), 4)
        0.1111
    """

    _config_keys = ("sparse_y_pred", "axis")

    def __init__(self, num_classes: int, name: str | None = None, dtype: str | torch.dtype | None = None,
                 ignore_class: int | None = None, sparse_y_pred: bool = False, axis: int = -1) -> None:  # fmt: skip
        super().__init__(num_classes, name, dtype, ignore_class, sparse_y_true=False, sparse_y_pred=sparse_y_pred,
                         axis=axis)  # fmt: skip
