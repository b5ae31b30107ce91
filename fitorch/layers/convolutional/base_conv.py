"""``BaseConv`` (the parent of ``Conv1D``/``Conv2D``/``Conv3D``), ``BaseSpatialConv`` and ``BaseSpatialLayer``.

``BaseSpatialLayer`` reads and writes the shapes of a layer over ``rank`` spatial axes
in either ``data_format`` (the parent of the convolutions and the poolings).

``BaseSpatialConv`` is what every convolution shares, transposed, depthwise and
separable ones included: it validates the window arguments (``kernel_size``,
``strides``, ``padding``, ``data_format``, ``dilation_rate``, ``activation``,
``use_bias``), computes output shapes and rejects inputs too small for the kernel.
``convolve`` runs torch's fused ``F.conv1d``/``F.conv2d``/``F.conv3d`` on a copy-free
channels-first view of the input (see ``padding.py``). ``BaseConv`` adds ``filters``,
``groups`` and the kernel and bias weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from fitorch import activations, constraints, initializers, regularizers
from fitorch.layers.convolutional import spatial_docs
from fitorch.layers.convolutional.padding import (
    apply_padding,
    check_rank,
    from_channels_first,
    lift,
    normalize_padding,
    normalize_tuple,
    output_size,
    padding_pairs,
    standardize_data_format,
    to_channels_first,
)
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]

_CONV_PADDING = """\
``'valid'`` (default) or ``'same'``; ``'same'`` pads as Keras does,
asymmetrically (the extra position at the end) when the stride requires it."""
_CAUSAL_PADDING = """\
``'valid'`` (default), ``'same'`` or ``'causal'`` (left padding of
``(kernel_size - 1) * dilation_rate``)."""

#: Output sizes of a forward convolution, for the ``Output shape`` sections.
NEW_SIZES = """, where
    ``new = ceil(size / stride)`` for ``'same'`` and
    ``floor((size - (kernel - 1) * dilation - 1) / stride) + 1`` for ``'valid'``"""


def conv_docs(rank: int) -> dict[str, str]:
    """The ``sections`` (``Args``, shapes, ``Weights``) of ``Conv{rank}D``.

    Example:
        >>> conv_docs(2)["sections"].splitlines()[2]
        '    kernel_size: int or tuple of 2 ints, the height and width of the window.'
    """
    names = (
        "filters kernel_size strides padding data_format dilation_rate groups activation use_bias "
        "kernel_initializer bias_initializer kernel_regularizer bias_regularizer kernel_constraint bias_constraint"
    ).split()
    where = NEW_SIZES.replace("for ``'same'``", "for ``'same'`` and ``'causal'``") if rank == 1 else NEW_SIZES
    weights = (
        "``weight`` of shape ``(filters, channels // groups, {kernel})`` (torch layout;\n"
        "    Keras' ``kernel`` is ``({kernel}, channels // groups, filters)``) and ``bias``\n"
        "    of shape ``(filters,)``."
    )
    padding = _CAUSAL_PADDING if rank == 1 else _CONV_PADDING
    return spatial_docs.conv_sections(rank, names, "filters", where, weights, padding=padding)


class BaseSpatialLayer(Layer):
    """Abstract layer over ``rank`` spatial axes laid out by ``data_format``: what convolutions and poolings share.

    It names the layer in errors (``_owner``), checks the input's rank, reads the spatial
    sizes of an input shape and writes an output shape in the layer's layout. Subclasses
    set ``rank`` and ``data_format`` (and ``padding`` where they slide a window).
    """

    rank: int = 0
    data_format: str
    padding: str

    @property
    def _owner(self) -> str:
        return f"{type(self).__name__} {self.name!r}"

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 1

    def _check_rank(self, input_shape: Shape) -> None:
        check_rank(input_shape, self.rank, self._owner)

    def _spatial(self, input_shape: Shape) -> Shape:
        return tuple(input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:])

    def _with_spatial(self, input_shape: Shape, sizes: Shape, channels: int | None) -> Shape:
        """The output shape: the batch axis, ``sizes`` and ``channels`` in this layer's layout."""
        if self.data_format == "channels_last":
            return (input_shape[0], *sizes, channels)
        return (input_shape[0], channels, *sizes)

    def _window_sizes(
        self, input_shape: Shape, window: tuple[int, ...], strides: tuple[int, ...], dilation: tuple[int, ...]
    ) -> Shape:
        """The spatial sizes a sliding ``window`` gives over ``input_shape`` (whose rank it checks) with ``padding``."""
        self._check_rank(input_shape)
        return tuple(
            output_size(size, k, s, d, self.padding)
            for size, k, s, d in zip(self._spatial(input_shape), window, strides, dilation, strict=True)
        )


class BaseSpatialConv(BaseSpatialLayer):
    """Abstract N-D sliding-window convolution: the arguments and shapes every convolution shares.

    Args:
        kernel_size: int or tuple of ``rank`` ints, the size of the window.
        strides: int or tuple of ``rank`` ints (default 1).
        padding: one of ``allowed_padding`` (``'valid'``, ``'same'``; ``Conv1D`` also
            takes ``'causal'``). Case-insensitive.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of ``rank`` ints (default 1).
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
    """

    allowed_padding: tuple[str, ...] = ("valid", "same")
    #: A family's own ``get_config`` entries after the window arguments, and its initializers after those.
    config_fields: tuple[str, ...] = ()
    initializer_fields: tuple[str, ...] = ()
    #: The attributes ``repr`` shows, in order.
    repr_fields: tuple[str, ...] = ("kernel_size", "strides", "padding", "data_format")

    def __init__(
        self,
        kernel_size: int | tuple[int, ...],
        strides: int | tuple[int, ...] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | tuple[int, ...] = 1,
        activation: Any = None,
        use_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = self._owner
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size", owner)
        self.strides = normalize_tuple(strides, self.rank, "strides", owner)
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate", owner)
        self.padding = normalize_padding(padding, self.allowed_padding, owner)
        self.data_format = standardize_data_format(data_format, owner)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _input_channels(self, input_shape: Shape) -> int:
        """The input's channel count, which ``build`` needs known."""
        self._check_rank(input_shape)
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                f"{self._owner}: the channel axis of the input ({self.data_format}) must be known; "
                f"received shape {tuple(input_shape)}."
            )
        return channels

    def _conv_output_shape(self, input_shape: Shape, channels: int | None) -> Shape:
        """The output shape of a (forward) convolution giving ``channels`` channels."""
        input_shape = tuple(input_shape)
        sizes = self._window_sizes(input_shape, self.kernel_size, self.strides, self.dilation_rate)
        if any(size is not None and size <= 0 for size in sizes):
            pairs = zip(self.kernel_size, self.dilation_rate, strict=True)
            smallest = tuple((k - 1) * d + 1 for k, d in pairs)
            raise ValueError(
                f"{self._owner}: the input is too small for kernel_size={self.kernel_size} with "
                f"dilation_rate={self.dilation_rate} and padding='valid': expected spatial sizes >= "
                f"{smallest}, received input shape {input_shape}. Use padding='same' or a smaller kernel."
            )
        return self._with_spatial(input_shape, sizes, channels)

    def _add_bias_and_input_spec(self, size: int, channels: int, **options: Any) -> None:
        """Adds the ``(size,)`` bias (``self.bias = None`` without ``use_bias``) and pins the input channels."""
        if self.use_bias:
            self.add_weight("bias", (size,), self.bias_initializer, **options)
        else:
            self.bias = None
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})

    def get_config(self) -> dict[str, Any]:
        config = {
            **super().get_config(),
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
        }
        config.update({name: getattr(self, name) for name in self.config_fields})
        config.update({name: initializers.serialize(getattr(self, name)) for name in self.initializer_fields})
        return config

    def extra_repr(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.repr_fields)
        return f"name={self.name!r}, {fields}"


class BaseConv(BaseSpatialConv):
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

    config_fields = ("filters", "groups")
    initializer_fields = ("kernel_initializer", "bias_initializer")
    repr_fields = ("filters", "kernel_size", "strides", "padding", "data_format")

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
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias, **kwargs)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        owner = self._owner
        check_positive_int(filters, "filters", owner)
        check_positive_int(groups, "groups", owner)
        if filters % groups:
            raise ValueError(
                f"{owner}: filters must be divisible by groups; received filters={filters}, groups={groups}."
            )
        self.filters = filters
        self.groups = groups
        self.kernel_initializer = standardize_initializer(kernel_initializer)
        self.bias_initializer = standardize_initializer(bias_initializer)

    def build(self, input_shape: Shape) -> None:
        channels = self._input_channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                f"{self._owner}: the input channels must be divisible by groups={self.groups}; received "
                f"{channels} channels (input shape {tuple(input_shape)})."
            )
        self.compute_output_shape(input_shape)  # rejects inputs too small for the kernel
        # Torch layout (filters, in // groups, *kernel); Keras' is (*kernel, in // groups, filters).
        weight_shape = (self.filters, channels // self.groups, *self.kernel_size)
        self.add_weight(
            "weight",
            weight_shape,
            self.kernel_initializer,
            keras_axes=kernel_keras_axes(self.rank),
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        options = {"regularizer": self.bias_regularizer, "constraint": self.bias_constraint}
        self._add_bias_and_input_spec(self.filters, channels, **options)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # (B, *S, C) -> (B, C, *S), a view; a 1-D channels_last input becomes (B, C, 1, T)
        x = to_channels_first(inputs, self.data_format, self.rank)
        outputs = convolve(x, self.weight, self.bias, self.strides, self.padding, self.dilation_rate, self.groups)
        return self.activation(from_channels_first(outputs, self.data_format, self.rank))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return self._conv_output_shape(input_shape, self.filters)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }


def convolve(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    strides: Sequence[int],
    padding: str,
    dilation_rate: Sequence[int],
    groups: int,
) -> torch.Tensor:
    """Keras' convolution of a channels-first view ``x`` (from ``to_channels_first``) with a torch-layout kernel.

    ``strides`` and ``dilation_rate`` have one entry per spatial axis of the layer; a
    1-D input viewed as ``(B, C, 1, T)`` runs as a unit-height 2-D convolution.
    """
    rank = weight.ndim - 2
    kernel_size = lift(tuple(weight.shape[2:]), x)
    strides, dilation = lift(tuple(strides), x), lift(tuple(dilation_rate), x)
    if x.ndim > rank + 2:  # the 1-D kernel as a unit-height 2-D one: (F, C/g, k) -> (F, C/g, 1, k)
        weight = weight.unsqueeze(2)
    pairs = padding_pairs(padding, tuple(x.shape[2:]), kernel_size, strides, dilation)
    x, torch_padding = apply_padding(x, pairs)
    # Looked up at call time, so the kernels can be observed (and patched) in tests.
    conv = {3: F.conv1d, 4: F.conv2d, 5: F.conv3d}[x.ndim]
    return conv(x, weight, bias, strides, torch_padding, dilation, groups)


def kernel_keras_axes(rank: int) -> tuple[int, ...]:
    """The permutation from a torch kernel ``(out, in, *kernel)`` to Keras' ``(*kernel, in, out)``.

    The same permutation takes a transposed convolution's ``(in, filters, *kernel)`` to
    Keras' ``(*kernel, filters, in)``.
    """
    return (*range(2, rank + 2), 1, 0)


def check_positive_int(value: Any, argument: str, owner: str) -> None:
    """Raises ``ValueError`` naming ``owner`` and ``argument`` unless ``value`` is a positive int."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{owner}: {argument} must be a positive int; received {argument}={value!r}.")


def standardize_initializer(identifier: Any) -> Any:
    """Keeps a name as given (a readable config) and resolves anything else, such as a config dict.

    Resolving here also rejects unknown names when the layer is created rather than built.
    """
    resolved = initializers.get(identifier)
    return identifier if isinstance(identifier, str) else resolved
