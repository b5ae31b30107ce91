"""``BaseSeparableConv``: the shared parent of ``SeparableConv1D`` and ``SeparableConv2D``.

A separable convolution is a depthwise convolution (each channel filtered on its
own, ``depth_multiplier`` times; see ``base_depthwise_conv``) followed by a pointwise
``1 x 1`` convolution that mixes the channels into ``filters`` outputs. It needs far
fewer weights and FLOPs than a full convolution of the same window (Xception,
MobileNet). Both steps run torch's fused convolution kernels on channels-first views;
the bias is added once, by the pointwise step, as in Keras.
"""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.convolutional import spatial_docs
from fitorch.layers.convolutional.base_conv import (
    NEW_SIZES,
    BaseSpatialConv,
    check_positive_int,
    convolve,
    kernel_keras_axes,
    standardize_initializer,
)
from fitorch.layers.convolutional.base_depthwise_conv import depthwise_convolve, depthwise_keras_axes
from fitorch.layers.convolutional.padding import from_channels_first, to_channels_first

Shape = tuple[int | None, ...]


def separable_conv_docs(rank: int) -> dict[str, str]:
    """The ``sections`` (``Args``, shapes, ``Weights``) of ``SeparableConv{rank}D``.

    Example:
        >>> "(filters, channels * depth_multiplier, 1, 1)" in separable_conv_docs(2)["sections"]
        True
    """
    names = (
        "filters kernel_size strides padding data_format dilation_rate depth_multiplier activation use_bias "
        "depthwise_initializer pointwise_initializer bias_initializer"
    ).split()
    weights = (
        "``depthwise_weight`` ``(channels, depth_multiplier, {kernel})``,\n"
        "    ``pointwise_weight`` ``(filters, channels * depth_multiplier, {ones})`` and\n"
        "    ``bias`` ``(filters,)``; ``get_weights()`` gives Keras' ``depthwise_kernel``,\n"
        "    ``pointwise_kernel`` and ``bias``."
    )
    return spatial_docs.conv_sections(
        rank,
        names,
        "filters",
        NEW_SIZES,
        weights,
        kernel_size="int or tuple of {ints}, the {axes} of the depthwise window.",
        depth_multiplier="positive int, the depthwise kernels per input channel (default 1).",
    )


class BaseSeparableConv(BaseSpatialConv):
    """Abstract N-D separable convolution: depthwise, then pointwise, then bias and activation.

    Args:
        filters: positive int, the number of output channels (of the pointwise step).
        kernel_size: int or tuple of ``rank`` ints, the size of the depthwise window.
        strides: int or tuple of ``rank`` ints (default 1), of the depthwise step.
        padding: ``'valid'`` (default) or ``'same'``. Case-insensitive.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of ``rank`` ints (default 1), of the depthwise step.
        depth_multiplier: positive int, the depthwise kernels per input channel (default 1).
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        depthwise_initializer: default ``'glorot_uniform'``.
        pointwise_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Weights:
        ``depthwise_weight`` of shape ``(in_channels, depth_multiplier, *kernel_size)``
        (Keras' ``depthwise_kernel`` is ``(*kernel_size, in_channels, depth_multiplier)``),
        ``pointwise_weight`` of shape ``(filters, in_channels * depth_multiplier, 1, ...)``
        (torch's 1 x 1 convolution kernel; Keras' ``pointwise_kernel`` is ``(1, ...,
        in_channels * depth_multiplier, filters)``) and ``bias`` of shape ``(filters,)``.
    """

    config_fields = ("filters", "depth_multiplier")
    initializer_fields = ("depthwise_initializer", "pointwise_initializer", "bias_initializer")
    repr_fields = ("filters", "kernel_size", "strides", "padding", "depth_multiplier", "data_format")

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple[int, ...],
        strides: int | tuple[int, ...] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | tuple[int, ...] = 1,
        depth_multiplier: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        pointwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        **kwargs: Any,
    ) -> None:
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias, **kwargs)
        check_positive_int(filters, "filters", self._owner)
        check_positive_int(depth_multiplier, "depth_multiplier", self._owner)
        self.filters = filters
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = standardize_initializer(depthwise_initializer)
        self.pointwise_initializer = standardize_initializer(pointwise_initializer)
        self.bias_initializer = standardize_initializer(bias_initializer)

    def build(self, input_shape: Shape) -> None:
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)  # rejects inputs too small for the kernel
        depthwise_shape = (channels, self.depth_multiplier, *self.kernel_size)
        self.add_weight(
            "depthwise_weight", depthwise_shape, self.depthwise_initializer, keras_axes=depthwise_keras_axes(self.rank)
        )
        pointwise_shape = (self.filters, channels * self.depth_multiplier, *(1,) * self.rank)
        self.add_weight(
            "pointwise_weight", pointwise_shape, self.pointwise_initializer, keras_axes=kernel_keras_axes(self.rank)
        )
        self._add_bias_and_input_spec(self.filters, channels)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # (B, *S, C) -> (B, C, *S), a view; a 1-D channels_last input becomes (B, C, 1, T)
        x = to_channels_first(inputs, self.data_format, self.rank)
        x = depthwise_convolve(x, self.depthwise_weight, None, self.strides, self.padding, self.dilation_rate)
        ones = (1,) * self.rank
        outputs = convolve(x, self.pointwise_weight, self.bias, ones, "valid", ones, 1)  # mixes the channels
        return self.activation(from_channels_first(outputs, self.data_format, self.rank))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return self._conv_output_shape(input_shape, self.filters)
