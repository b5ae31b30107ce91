"""``BaseGlobalPooling``: the shared parent of the global max and average pooling layers.

A global pooling layer reduces every spatial axis to one value per channel, with
``torch.amax``/``torch.mean`` (a subclass's ``reduce``) over the spatial axes of the input as it is laid out
(no permutes, no copies). ``keepdims=True`` keeps the reduced axes with size 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from fitorch.layers.convolutional import spatial_docs
from fitorch.layers.convolutional.base_conv import BaseSpatialLayer
from fitorch.layers.convolutional.padding import standardize_data_format
from fitorch.layers.input_spec import InputSpec

Shape = tuple[int | None, ...]

_OUTPUT = """\
Output shape:
    ``(batch, channels)``; with ``keepdims=True``, ``(batch, {ones}, channels)`` or
    ``(batch, channels, {ones})``."""


def global_pooling_docs(rank: int) -> dict[str, str]:
    """The ``args`` and ``shapes`` docstring sections (both: ``sections``) of ``Global{Average,Max}Pooling{rank}D``.

    Example:
        >>> global_pooling_docs(3)["shapes"].splitlines()[-1]
        '    ``(batch, channels, 1, 1, 1)``.'
    """
    axes = "time axis" if rank == 1 else "spatial axes"
    args = spatial_docs.args(
        rank, ["data_format", "keepdims"], keepdims=f"whether to keep the {axes}, with size 1 (default ``False``)."
    )
    shapes = f"{spatial_docs.input_shape(rank)}\n\n{_OUTPUT.format(ones=', '.join('1' * rank))}"
    return {"args": args, "shapes": shapes, "sections": f"{args}\n\n{shapes}"}


class BaseGlobalPooling(BaseSpatialLayer):
    """Abstract global pooling over the ``rank`` spatial axes.

    Args:
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        keepdims: whether to keep the spatial axes, with size 1 (default ``False``).
    """

    #: the reduction over the spatial axes, ``torch.mean`` or ``torch.amax``.
    reduce: Callable[..., torch.Tensor]

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format, self._owner)
        if not isinstance(keepdims, bool):
            raise ValueError(f"{self._owner}: keepdims must be True or False; received keepdims={keepdims!r}.")
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self.rank + 2)

    @property
    def spatial_axes(self) -> tuple[int, ...]:
        """The axes reduced: ``(1, ..., rank)`` for channels_last, ``(2, ..., rank + 1)`` otherwise."""
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return type(self).reduce(inputs, dim=self.spatial_axes, keepdim=self.keepdims)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        input_shape = tuple(input_shape)
        self._check_rank(input_shape)
        if not self.keepdims:
            return (input_shape[0], input_shape[self._channel_axis])
        return tuple(1 if axis in self.spatial_axes else size for axis, size in enumerate(input_shape))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}

    def extra_repr(self) -> str:
        return f"name={self.name!r}, data_format={self.data_format!r}, keepdims={self.keepdims}"
