"""Keras' functional forms of the merging layers: ``add([a, b])`` is ``Add()([a, b])``.

Each function builds the layer from its keyword arguments and calls it on ``inputs``,
so it works on symbolic tensors (recording a node in a functional model) and on
real tensors alike.

Example:
    >>> import torch
    >>> from fitorch import layers
    >>> layers.add([torch.ones(2, 3), torch.ones(2, 3)]).sum().item()
    12.0
    >>> a = layers.Input(shape=(4,))
    >>> layers.concatenate([a, a], axis=-1).shape
    (None, 8)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fitorch.layers.merging.add import Add
from fitorch.layers.merging.average import Average
from fitorch.layers.merging.concatenate import Concatenate
from fitorch.layers.merging.dot import Dot
from fitorch.layers.merging.maximum import Maximum
from fitorch.layers.merging.minimum import Minimum
from fitorch.layers.merging.multiply import Multiply
from fitorch.layers.merging.subtract import Subtract


def add(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """``Add(**kwargs)(inputs)``: the elementwise sum of a list of tensors.

    Example:
        >>> import torch
        >>> add([torch.ones(1, 2), torch.ones(1, 2)]).tolist()
        [[2.0, 2.0]]
    """
    return Add(**kwargs)(inputs)


def subtract(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """``Subtract(**kwargs)(inputs)``: ``inputs[0] - inputs[1]``.

    Example:
        >>> import torch
        >>> subtract([torch.ones(1, 2), torch.ones(1, 2)]).tolist()
        [[0.0, 0.0]]
    """
    return Subtract(**kwargs)(inputs)


def multiply(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """``Multiply(**kwargs)(inputs)``: the elementwise product of a list of tensors.

    Example:
        >>> import torch
        >>> multiply([torch.full((1, 2), 2.0), torch.full((1, 2), 3.0)]).tolist()
        [[6.0, 6.0]]
    """
    return Multiply(**kwargs)(inputs)


def average(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """``Average(**kwargs)(inputs)``: the elementwise mean of a list of tensors.

    Example:
        >>> import torch
        >>> average([torch.zeros(1, 2), torch.full((1, 2), 2.0)]).tolist()
        [[1.0, 1.0]]
    """
    return Average(**kwargs)(inputs)


def maximum(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """``Maximum(**kwargs)(inputs)``: the elementwise maximum of a list of tensors.

    Example:
        >>> import torch
        >>> maximum([torch.tensor([[1.0, 4.0]]), torch.tensor([[3.0, 2.0]])]).tolist()
        [[3.0, 4.0]]
    """
    return Maximum(**kwargs)(inputs)


def minimum(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """``Minimum(**kwargs)(inputs)``: the elementwise minimum of a list of tensors.

    Example:
        >>> import torch
        >>> minimum([torch.tensor([[1.0, 4.0]]), torch.tensor([[3.0, 2.0]])]).tolist()
        [[1.0, 2.0]]
    """
    return Minimum(**kwargs)(inputs)


def concatenate(inputs: Sequence[Any], axis: int = -1, **kwargs: Any) -> Any:
    """``Concatenate(axis=axis, **kwargs)(inputs)``: joins a list of tensors along ``axis``.

    Example:
        >>> import torch
        >>> concatenate([torch.ones(1, 2), torch.zeros(1, 1)]).tolist()
        [[1.0, 1.0, 0.0]]
    """
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs: Sequence[Any], axes: int | Sequence[int] = -1, normalize: bool = False, **kwargs: Any) -> Any:
    """``Dot(axes=axes, normalize=normalize, **kwargs)(inputs)``: the dot product of two tensors.

    Example:
        >>> import torch
        >>> dot([torch.ones(1, 3), torch.full((1, 3), 2.0)], axes=1).tolist()
        [[6.0]]
    """
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
