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


def _functional_form(name: str, layer_class: type, what: str, example: str) -> Any:
    """``name(inputs, **kwargs)``: ``layer_class(**kwargs)(inputs)``, with a docstring saying ``what`` it
    computes and a doctest ``example`` (the call and its result, on two lines)."""

    def function(inputs: Sequence[Any], **kwargs: Any) -> Any:
        return layer_class(**kwargs)(inputs)

    call, result = example.split("\n")
    function.__name__ = function.__qualname__ = name
    function.__doc__ = (
        f"``{layer_class.__name__}(**kwargs)(inputs)``: {what}.\n\n"
        f"    Example:\n        >>> import torch\n        >>> {call}\n        {result}\n    "
    )
    return function


add = _functional_form(
    "add",
    Add,
    "the elementwise sum of a list of tensors",
    "add([torch.ones(1, 2), torch.ones(1, 2)]).tolist()\n[[2.0, 2.0]]",
)
subtract = _functional_form(
    "subtract",
    Subtract,
    "``inputs[0] - inputs[1]``",
    "subtract([torch.ones(1, 2), torch.ones(1, 2)]).tolist()\n[[0.0, 0.0]]",
)
multiply = _functional_form(
    "multiply",
    Multiply,
    "the elementwise product of a list of tensors",
    "multiply([torch.full((1, 2), 2.0), torch.full((1, 2), 3.0)]).tolist()\n[[6.0, 6.0]]",
)
average = _functional_form(
    "average",
    Average,
    "the elementwise mean of a list of tensors",
    "average([torch.zeros(1, 2), torch.full((1, 2), 2.0)]).tolist()\n[[1.0, 1.0]]",
)
maximum = _functional_form(
    "maximum",
    Maximum,
    "the elementwise maximum of a list of tensors",
    "maximum([torch.tensor([[1.0, 4.0]]), torch.tensor([[3.0, 2.0]])]).tolist()\n[[3.0, 4.0]]",
)
minimum = _functional_form(
    "minimum",
    Minimum,
    "the elementwise minimum of a list of tensors",
    "minimum([torch.tensor([[1.0, 4.0]]), torch.tensor([[3.0, 2.0]])]).tolist()\n[[1.0, 2.0]]",
)


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
