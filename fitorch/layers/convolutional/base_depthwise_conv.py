"""``BaseDepthwiseConv``: the shared parent of ``DepthwiseConv1D`` and ``DepthwiseConv2D``.

A depthwise convolution filters each input channel on its own with
``depth_multiplier`` kernels, and never mixes channels. It runs as torch's grouped
convolution with ``groups = in_channels``; output channel ``c * depth_multiplier + m``
is input channel ``c`` filtered by its ``m``-th kernel, as in Keras.

The kernel is stored as ``weight`` of shape ``(in_channels, depth_multiplier,
*kernel_size)``: a permutation of Keras' ``(*kernel_size, in_channels,
depth_multiplier)``, so ``get_weights()``/``set_weights()`` speak Keras layout, and a
free reshape away from torch's grouped kernel ``(in_channels * depth_multiplier, 1,
*kernel_size)``. With ``depth_multiplier=1`` (the usual case, e.g. MobileNet) the two
shapes agree and the ``state_dict`` loads into ``nn.Conv2d(c, c, k, groups=c)`` as is.
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
    standardize_initializer,
)
from fitorch.layers.convolutional.padding import from_channels_first, to_channels_first

Shape = tuple[int | None, ...]


def depthwise_conv_docs(rank: int) -> dict[str, str]:
    """The ``sections`` (``Args``, shapes, ``Weights``) of ``DepthwiseConv{rank}D``.

    Example:
        >>> "(batch, new_steps, channels * depth_multiplier)" in depthwise_conv_docs(1)["sections"]
        True
    """
    names = (
        "kernel_size strides padding depth_multiplier data_format dilation_rate activation use_bias "
        "depthwise_initializer bias_initializer"
    ).split()
    weights = (
        "``weight`` of shape ``(channels, depth_multiplier, {kernel})`` (Keras'\n"
        "    ``kernel`` is ``({kernel}, channels, depth_multiplier)``) and ``bias`` of shape\n"
        "    ``(channels * depth_multiplier,)``."
    )
    return spatial_docs.conv_sections(rank, names, "channels * depth_multiplier", NEW_SIZES, weights)


class BaseDepthwiseConv(BaseSpatialConv):
    """Abstract N-D depthwise convolution, ``activation(depthwise_conv(inputs, kernel) + bias)``.

    Args:
        kernel_size: int or tuple of ``rank`` ints, the size of the window.
        strides: int or tuple of ``rank`` ints (default 1).
        padding: ``'valid'`` (default) or ``'same'``. Case-insensitive.
        depth_multiplier: positive int, the kernels per input channel (default 1); the
            output has ``in_channels * depth_multiplier`` channels.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of ``rank`` ints (default 1).
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        depthwise_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Weights:
        ``weight`` of shape ``(in_channels, depth_multiplier, *kernel_size)`` (Keras'
        ``kernel`` is ``(*kernel_size, in_channels, depth_multiplier)``) and ``bias`` of
        shape ``(in_channels * depth_multiplier,)``.
    """

    config_fields = ("depth_multiplier",)
    initializer_fields = ("depthwise_initializer", "bias_initializer")
    repr_fields = ("kernel_size", "strides", "padding", "data_format", "depth_multiplier")

    def __init__(
        self,
        kernel_size: int | tuple[int, ...],
        strides: int | tuple[int, ...] = 1,
        padding: str = "valid",
        depth_multiplier: int = 1,
        data_format: str | None = None,
        dilation_rate: int | tuple[int, ...] = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        **kwargs: Any,
    ) -> None:
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias, **kwargs)
        check_positive_int(depth_multiplier, "depth_multiplier", self._owner)
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = standardize_initializer(depthwise_initializer)
        self.bias_initializer = standardize_initializer(bias_initializer)

    def build(self, input_shape: Shape) -> None:
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)  # rejects inputs too small for the kernel
        shape = (channels, self.depth_multiplier, *self.kernel_size)
        self.add_weight("weight", shape, self.depthwise_initializer, keras_axes=depthwise_keras_axes(self.rank))
        self._add_bias_and_input_spec(channels * self.depth_multiplier, channels)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # (B, *S, C) -> (B, C, *S), a view; a 1-D channels_last input becomes (B, C, 1, T)
        x = to_channels_first(inputs, self.data_format, self.rank)
        outputs = depthwise_convolve(x, self.weight, self.bias, self.strides, self.padding, self.dilation_rate)
        return self.activation(from_channels_first(outputs, self.data_format, self.rank))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        channels = tuple(input_shape)[self._channel_axis] if len(input_shape) == self.rank + 2 else None
        return self._conv_output_shape(input_shape, None if channels is None else channels * self.depth_multiplier)


def depthwise_keras_axes(rank: int) -> tuple[int, ...]:
    """The permutation from ``(in, depth_multiplier, *kernel)`` to Keras' ``(*kernel, in, depth_multiplier)``."""
    return (*range(2, rank + 2), 0, 1)


def depthwise_convolve(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    strides: tuple[int, ...],
    padding: str,
    dilation_rate: tuple[int, ...],
) -> torch.Tensor:
    """The depthwise convolution of a channels-first view ``x`` with a ``(in, multiplier, *kernel)`` kernel."""
    channels = weight.shape[0]
    # (in, multiplier, *kernel) -> (in * multiplier, 1, *kernel), torch's grouped kernel; a view
    grouped = weight.reshape(-1, 1, *weight.shape[2:])
    return convolve(x, grouped, bias, strides, padding, dilation_rate, channels)
