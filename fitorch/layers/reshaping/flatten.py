"""``Flatten``: collapses every axis but the batch axis into one."""

from __future__ import annotations

import math
from typing import Any

import torch

from fitorch import config
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer


class Flatten(Layer):
    """Flattens each sample into a vector, keeping the batch axis.

    Use it between convolutional or pooling layers and ``Dense`` layers. The
    result is ordered as Keras orders it: ``channels_first`` inputs are first
    moved to ``channels_last`` (``(batch, channels, ...)`` -> ``(batch, ..., channels)``)
    and then flattened, so a following ``Dense`` sees its inputs in the same order
    in either layout, and Keras weights load unchanged. For ``channels_last`` inputs
    (the default) the result is a view, with no copy.

    Args:
        data_format: ``'channels_last'`` or ``'channels_first'``, the layout of the
            inputs; ``None`` (default) means ``fitorch.config.image_data_format()``.

    Call arguments:
        inputs: a tensor of rank >= 1.

    Input shape:
        ``(batch, ...)``.

    Output shape:
        ``(batch, product of the other axes)``; ``(batch, 1)`` for inputs of shape
        ``(batch,)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import Flatten
        >>> Flatten()(torch.zeros(2, 10, 64)).shape
        torch.Size([2, 640])
        >>> x = torch.arange(8.0).reshape(1, 2, 2, 2)  # (batch, channels, height, width)
        >>> Flatten(data_format="channels_first")(x)
        tensor([[0., 4., 1., 5., 2., 6., 3., 7.]])
    """

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        try:
            self.data_format = config.standardize_data_format(data_format)
        except ValueError as error:
            raise ValueError(f"Flatten {self.name!r}: {error}") from None
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        rank = inputs.ndim
        if rank == 1:
            return inputs.unsqueeze(-1)  # (batch,) -> (batch, 1)
        if self.data_format == "channels_first" and rank > 2:
            inputs = inputs.permute(0, *range(2, rank), 1)  # (B, C, ...) -> (B, ..., C), as Keras
        return inputs.flatten(1)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        features = input_shape[1:]
        if any(d is None for d in features):
            return (input_shape[0], None)
        return (input_shape[0], math.prod(features))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}
