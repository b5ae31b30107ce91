"""``BaseAdaptivePooling``: the shared parent of the adaptive average and max pooling layers.

An adaptive pooling layer is told the size of its output, not of its window: output
position ``i`` of a spatial axis of length ``L`` pooled to ``n`` covers the input
positions ``floor(i * L / n)`` to ``ceil((i + 1) * L / n)`` (exclusive), Keras' and
torch's bins alike, so torch's ``F.adaptive_*_pool*d`` kernels are used directly.
``channels_last`` inputs are handed to them as a permuted view (no copy); the kernels
read that channels-last memory layout natively.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from fitorch.layers.convolutional import spatial_docs
from fitorch.layers.convolutional.base_conv import BaseSpatialLayer
from fitorch.layers.convolutional.padding import standardize_data_format
from fitorch.layers.input_spec import InputSpec

Shape = tuple[int | None, ...]

_AXIS_NAMES = {1: "(length,)", 2: "(height, width)", 3: "(depth, height, width)"}
_THINGS = {1: "sequences", 2: "images", 3: "volumes"}

_USE = """\
Use it where {things} of varying size must reach a head of fixed size, keeping
{keeps} (``Global{op}Pooling{rank}D`` is the
``output_size=1`` case). Output position ``i`` of an axis of length ``L`` pooled to
``n`` covers input positions ``floor(i * L / n)`` up to ``ceil((i + 1) * L / n)``,
as in Keras and ``torch.nn.Adaptive{torch_op}Pool{rank}d``."""


def adaptive_pooling_docs(rank: int, pool_mode: str) -> dict[str, str]:
    """The ``use`` paragraph and the ``sections`` (``Args``, shapes) of ``Adaptive{Average,Max}Pooling{rank}D``.

    Example:
        >>> adaptive_pooling_docs(1, "max")["use"].splitlines()[-1]
        'as in Keras and ``torch.nn.AdaptiveMaxPool1d``.'
    """
    average = pool_mode == "average"
    use = _USE.format(
        things=_THINGS[rank],
        keeps="a smooth summary of each region" if average else "the strongest response in each region",
        op="Average" if average else "Max",
        rank=rank,
        torch_op="Avg" if average else "Max",
    )
    args = spatial_docs.args(
        rank,
        ["output_size", "data_format"],
        output_size=f"int or tuple of {{ints}} ``{_AXIS_NAMES[rank].replace(',)', ')')}``, the target\n"
        "spatial size; an int is used for every spatial axis.",
    )
    shapes = f"{spatial_docs.input_shape(rank)}\n\n{spatial_docs.output_shape(rank, 'output_')}"
    return {"use": use, "sections": f"{args}\n\n{shapes}"}


class BaseAdaptivePooling(BaseSpatialLayer):
    """Abstract adaptive pooling over the ``rank`` spatial axes.

    Args:
        output_size: int or tuple of ``rank`` positive ints, the spatial size of the output;
            an int is used for every spatial axis.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
    """

    #: the torch kernel, ``(inputs_channels_first, output_size) -> outputs_channels_first``.
    pool_function: Callable[..., torch.Tensor]

    def __init__(self, output_size: int | Sequence[int], data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.output_size = self._standardize_output_size(output_size, self._owner)
        self.data_format = standardize_data_format(data_format, self._owner)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _standardize_output_size(self, output_size: Any, owner: str) -> tuple[int, ...]:
        expected = f"an int or a tuple of {self.rank} ints {_AXIS_NAMES[self.rank]}"
        if type(output_size) is int:
            sizes: tuple[Any, ...] = (output_size,) * self.rank
        elif isinstance(output_size, (tuple, list)):
            if len(output_size) != self.rank:
                raise ValueError(
                    f"{owner}: output_size must be {expected}; received output_size={output_size!r} "
                    f"of length {len(output_size)}."
                )
            sizes = tuple(output_size)
        else:
            raise TypeError(
                f"{owner}: output_size must be {expected}; received output_size={output_size!r} "
                f"of type {type(output_size).__name__}."
            )
        if not all(type(size) is int and size > 0 for size in sizes):
            raise ValueError(f"{owner}: output_size must hold positive ints; received output_size={output_size!r}.")
        return sizes

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.data_format == "channels_first":
            return type(self).pool_function(inputs, self.output_size)
        # (B, *spatial, C) -> (B, C, *spatial): a view with channels-last strides, no copy.
        to_channels_first = (0, self.rank + 1, *range(1, self.rank + 1))
        outputs = type(self).pool_function(inputs.permute(to_channels_first), self.output_size)
        # (B, C, *output_size) -> (B, *output_size, C)
        return outputs.permute(0, *range(2, self.rank + 2), 1)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        input_shape = tuple(input_shape)
        self._check_rank(input_shape)
        return self._with_spatial(input_shape, self.output_size, input_shape[self._channel_axis])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "output_size": list(self.output_size), "data_format": self.data_format}

    def extra_repr(self) -> str:
        return f"name={self.name!r}, output_size={self.output_size}, data_format={self.data_format!r}"
