"""``BaseGlobalPooling``: the shared parent of the global max and average pooling layers.

A global pooling layer reduces every spatial axis to one value per channel, with
``torch.amax``/``torch.mean`` over the spatial axes of the input as it is laid out
(no permutes, no copies). ``keepdims=True`` keeps the reduced axes with size 1.
"""

from __future__ import annotations

from typing import Any

from fitorch import config
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]


class BaseGlobalPooling(Layer):
    """Abstract global pooling over the ``rank`` spatial axes.

    Args:
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        keepdims: whether to keep the spatial axes, with size 1 (default ``False``).
    """

    rank: int = 0

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        owner = f"{type(self).__name__} {self.name!r}"
        try:
            self.data_format = config.standardize_data_format(data_format)
        except ValueError as error:
            raise ValueError(f"{owner}: {error}") from None
        if not isinstance(keepdims, bool):
            raise ValueError(f"{owner}: keepdims must be True or False; received keepdims={keepdims!r}.")
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self.rank + 2)

    @property
    def spatial_axes(self) -> tuple[int, ...]:
        """The axes reduced: ``(1, ..., rank)`` for channels_last, ``(2, ..., rank + 1)`` otherwise."""
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: expected an input of rank {self.rank + 2} (batch, "
                f"spatial axes, channels); received shape {input_shape}."
            )
        channel_axis = -1 if self.data_format == "channels_last" else 1
        if not self.keepdims:
            return (input_shape[0], input_shape[channel_axis])
        return tuple(1 if axis in self.spatial_axes else size for axis, size in enumerate(input_shape))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}

    def extra_repr(self) -> str:
        return f"name={self.name!r}, data_format={self.data_format!r}, keepdims={self.keepdims}"
