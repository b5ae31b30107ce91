"""``to_categorical`` and ``normalize``: Keras' array helpers, for NumPy arrays and torch tensors.

Example:
    >>> to_categorical([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def to_categorical(x: Any, num_classes: int | None = None) -> Any:
    """One-hot encodes class indices (Keras' ``keras.utils.to_categorical``).

    A trailing axis of size 1 is dropped first, so labels of shape ``(n, 1)`` give ``(n, num_classes)``.

    Args:
        x: integer class indices: a NumPy array, a list, or a torch tensor.
        num_classes: the number of classes; default ``max(x) + 1``.

    Returns:
        ``float64`` NumPy array for NumPy/list input (as Keras), a ``float32`` tensor for a tensor.

    Raises:
        ValueError: for negative indices or indices ``>= num_classes``.

    Example:
        >>> import torch
        >>> to_categorical(torch.tensor([[1], [0]]), num_classes=3)
        tensor([[0., 1., 0.],
                [1., 0., 0.]])
    """
    is_tensor = isinstance(x, torch.Tensor)
    indices = x.detach().cpu().numpy() if is_tensor else np.asarray(x)
    if indices.size and not np.array_equal(indices, np.round(indices)):
        raise ValueError("to_categorical: x must hold integer class indices; received non-integer values.")
    indices = indices.astype("int64")
    shape = indices.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = indices.reshape(-1)
    if not num_classes:
        num_classes = int(flat.max()) + 1 if flat.size else 0
    if flat.size and (flat.min() < 0 or flat.max() >= num_classes):
        raise ValueError(
            f"to_categorical: class indices must be in [0, num_classes={num_classes}); "
            f"received values from {int(flat.min())} to {int(flat.max())}."
        )
    categorical = np.eye(num_classes)[flat].reshape(*shape, num_classes)
    if is_tensor:
        return torch.as_tensor(categorical, dtype=torch.float32, device=x.device)
    return categorical


def normalize(x: Any, axis: int = -1, order: int = 2) -> Any:
    """Scales ``x`` to unit ``order``-norm along ``axis`` (zero vectors stay zero).

    Args:
        x: a NumPy array or a torch tensor.
        axis: the axis to normalize along.
        order: the norm's order (``2`` for L2).

    Example:
        >>> normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
        array([[0.6, 0.8],
               [0. , 0. ]])
    """
    if isinstance(x, torch.Tensor):
        norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
        return x / torch.where(norm == 0, torch.ones_like(norm), norm)
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)
