"""``BaseConv``: the shared parent of ``Conv1D`` and ``Conv2D``.

It validates the Keras arguments, creates the kernel in torch layout and runs torch's
fused ``F.conv1d``/``F.conv2d`` on a copy-free channels-first view of the input (see
``padding.py``). Subclasses set ``rank`` (and ``Conv1D`` allows ``'causal'`` padding).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch import activations, config, initializers
from fitorch.layers.convolutional.padding import (
    apply_padding,
    from_channels_first,
    lift,
    normalize_padding,
    normalize_tuple,
    output_size,
    padding_pairs,
    to_channels_first,
)
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]


class BaseConv(Layer):
    """Abstract N-D convolution, ``activation(conv(inputs, kernel) + bias)``.

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of ``rank`` ints, the size of the window.
        strides: int or tuple of ``rank`` ints (default 1).
        padding: ``'valid'`` (default, no padding) or ``'same'`` (output size
            ``ceil(input / stride)``, padded as Keras/TensorFlow do, the extra position
            at the end); ``Conv1D`` also takes ``'causal'``. Case-insensitive.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of ``rank`` ints (default 1). Unlike Keras, it may
            be combined with ``strides > 1``.
        groups: positive int dividing both ``filters`` and the input channels (default 1).
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Weights:
        ``weight`` of shape ``(filters, in_channels // groups, *kernel_size)`` (torch
        layout; ``get_weights()`` gives Keras' ``(*kernel_size, in_channels // groups,
        filters)``) and ``bias`` of shape ``(filters,)``.
    """

    rank: int = 0
    allowed_padding: tuple[str, ...] = ("valid", "same")

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple[int, ...],
        strides: int | tuple[int, ...] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | tuple[int, ...] = 1,
        groups: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = self._owner
        if not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(f"{owner}: filters must be a positive int; received filters={filters!r}.")
        if not isinstance(groups, int) or isinstance(groups, bool) or groups <= 0:
            raise ValueError(f"{owner}: groups must be a positive int; received groups={groups!r}.")
        if filters % groups:
            raise ValueError(
                f"{owner}: filters must be divisible by groups; received filters={filters}, groups={groups}."
            )
        self.filters = filters
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size", owner)
        self.strides = normalize_tuple(strides, self.rank, "strides", owner)
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate", owner)
        self.padding = normalize_padding(padding, self.allowed_padding, owner)
        try:
            self.data_format = config.standardize_data_format(data_format)
        except ValueError as error:
            raise ValueError(f"{owner}: {error}") from None
        self.groups = groups
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = _standardize_initializer(kernel_initializer)
        self.bias_initializer = _standardize_initializer(bias_initializer)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    @property
    def _owner(self) -> str:
        return f"{type(self).__name__} {self.name!r}"

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape: Shape) -> None:
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                f"{self._owner}: the channel axis of the input ({self.data_format}) must be known; "
                f"received shape {tuple(input_shape)}."
            )
        if channels % self.groups:
            raise ValueError(
                f"{self._owner}: the input channels must be divisible by groups={self.groups}; received "
                f"{channels} channels (input shape {tuple(input_shape)})."
            )
        self.compute_output_shape(input_shape)  # rejects inputs too small for the kernel
        # Torch layout (filters, in // groups, *kernel); Keras' is (*kernel, in // groups, filters).
        weight_shape = (self.filters, channels // self.groups, *self.kernel_size)
        keras_axes = (*range(2, self.rank + 2), 1, 0)
        self.add_weight("weight", weight_shape, self.kernel_initializer, keras_axes=keras_axes)
        if self.use_bias:
            self.add_weight("bias", (self.filters,), self.bias_initializer)
        else:
            self.bias = None
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # (B, *S, C) -> (B, C, *S), a view; a 1-D channels_last input becomes (B, C, 1, T)
        x = to_channels_first(inputs, self.data_format, self.rank)
        kernel_size, strides = lift(self.kernel_size, x), lift(self.strides, x)
        dilation = lift(self.dilation_rate, x)
        weight = self.weight
        if x.ndim > self.rank + 2:  # the 1-D kernel as a unit-height 2-D one: (F, C/g, k) -> (F, C/g, 1, k)
            weight = weight.unsqueeze(2)
        pairs = padding_pairs(self.padding, tuple(x.shape[2:]), kernel_size, strides, dilation)
        x, padding = apply_padding(x, pairs)
        conv = F.conv2d if x.ndim == 4 else F.conv1d
        outputs = conv(x, weight, self.bias, strides, padding, dilation, self.groups)
        return self.activation(from_channels_first(outputs, self.data_format, self.rank))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"{self._owner}: expected an input of rank {self.rank + 2} (batch, spatial axes, channels); "
                f"received shape {input_shape}."
            )
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        sizes = tuple(
            output_size(size, k, s, d, self.padding)
            for size, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate, strict=True)
        )
        if any(size is not None and size <= 0 for size in sizes):
            pairs = zip(self.kernel_size, self.dilation_rate, strict=True)
            smallest = tuple((k - 1) * d + 1 for k, d in pairs)
            raise ValueError(
                f"{self._owner}: the input is too small for kernel_size={self.kernel_size} with "
                f"dilation_rate={self.dilation_rate} and padding='valid': expected spatial sizes >= "
                f"{smallest}, received input shape {input_shape}. Use padding='same' or a smaller kernel."
            )
        if self.data_format == "channels_last":
            return (input_shape[0], *sizes, self.filters)
        return (input_shape[0], self.filters, *sizes)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
        }

    def extra_repr(self) -> str:
        return (
            f"name={self.name!r}, filters={self.filters}, kernel_size={self.kernel_size}, "
            f"strides={self.strides}, padding={self.padding!r}, data_format={self.data_format!r}"
        )


def _standardize_initializer(identifier: Any) -> Any:
    """Keeps a name as given (a readable config) and resolves anything else, such as a config dict.

    Resolving here also rejects unknown names when the layer is created rather than built.
    """
    resolved = initializers.get(identifier)
    return identifier if isinstance(identifier, str) else resolved
