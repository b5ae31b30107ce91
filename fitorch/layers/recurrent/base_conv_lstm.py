"""``BaseConvLSTM``: the shared parent of ``ConvLSTM1D``, ``ConvLSTM2D`` and ``ConvLSTM3D``.

An LSTM whose input and recurrent transformations are ``rank``-D convolutions; the
subclasses only set ``rank`` and write their own summary and example around the
docstring sections ``conv_lstm_doc_sections(rank)`` fills in for their rank.
"""

from __future__ import annotations

import textwrap
from typing import Any

import torch
import torch.nn.functional as F

from fitorch import activations, config, initializers
from fitorch.layers.convolutional.base_conv import (
    check_positive_int,
    convolve,
    kernel_keras_axes,
    standardize_initializer,
)
from fitorch.layers.convolutional.padding import (
    apply_padding,
    normalize_padding,
    normalize_tuple,
    output_size,
    padding_pairs,
)
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.recurrent.base_recurrent import Shape, lstm_bias_initializer
from fitorch.layers.recurrent.base_rnn import KERNEL_ARGUMENTS, MASK_AND_TRAINING, SEQUENCE_ARGUMENTS, BaseRNN

_CONVOLUTIONS = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_SPATIAL = {1: "steps", 2: "rows, cols", 3: "depth, rows, cols"}
_KERNEL = {1: "k", 2: "kh, kw", 3: "kd, kh, kw"}


def conv_lstm_doc_sections(rank: int) -> dict[str, str]:
    """The ``{api}`` docstring section of ``ConvLSTM{rank}D`` (for ``fill_doc``): how it runs, Args to Weights."""
    ints = "1 int" if rank == 1 else f"{rank} ints"
    spatial, kernel = _SPATIAL[rank], _KERNEL[rank]
    new_spatial = ", ".join(f"new_{name}" for name in spatial.split(", "))
    api = f"""\
The input convolution of all frames runs as one batched ``F.conv{rank}d`` before
the loop; each step then runs one recurrent convolution (``'same'`` padding,
stride 1) for all four gates.

Args:
    filters: positive int, the number of channels of the output and states.
    kernel_size: int or tuple of {ints}, the window of both convolutions.
    strides: int or tuple of {ints}, of the input convolution (default 1).
    padding: ``'valid'`` (default) or ``'same'``, of the input convolution.
    data_format: ``'channels_last'`` (frames ``({spatial}, channels)``) or
        ``'channels_first'``; default ``fitorch.config.image_data_format()``.
    dilation_rate: int or tuple of {ints}, of the input convolution (default 1);
        cannot be combined with ``strides > 1``.
    activation: for the cell candidate and the output (default ``'tanh'``).
    recurrent_activation: for the gates (default ``'sigmoid'``).
{textwrap.indent(KERNEL_ARGUMENTS, "    ")}\
    unit_forget_bias: add 1 to the forget gate's bias at initialization
        (default ``True``).
{textwrap.indent(SEQUENCE_ARGUMENTS, "    ")}\
    **kwargs: ``use_cudnn`` (accepted; there is no fused kernel) and the ``Layer``
        arguments.

Call arguments:
    sequences: ``(batch, timesteps, {spatial}, channels)`` (``channels_last``).
    initial_state: optional list ``[h, c]``, each shaped like one output frame
        with its batch axis.
{textwrap.indent(MASK_AND_TRAINING, "    ")}
Input shape:
    ``(batch, timesteps, {spatial}, channels)``, or ``(batch, timesteps, channels,
    {spatial})`` for ``channels_first``; {spatial} and channels must be known.

Output shape:
    ``(batch, {new_spatial}, filters)`` (the last frame), or with
    ``return_sequences`` ``(batch, timesteps, {new_spatial}, filters)``;
    ``channels_first`` puts ``filters`` before the spatial axes. With
    ``return_state``, ``(output, h, c)``.

Weights:
    ``weight_ih`` ``(4 * filters, channels, {kernel})``, ``weight_hh``
    ``(4 * filters, filters, {kernel})`` (torch layout; Keras' ``kernel`` and
    ``recurrent_kernel`` are ``({kernel}, in, 4 * filters)``) and ``bias``
    ``(4 * filters,)``, gates in the order input, forget, cell, output.
"""
    return {"api": api}


class BaseConvLSTM(BaseRNN):
    """Abstract convolutional LSTM over frames of ``rank`` spatial axes (see ``ConvLSTM2D``).

    The input convolution of all frames runs as one batched convolution before the
    loop; each step runs one recurrent convolution (``'same'`` padding, stride 1) for
    all four gates. Subclasses set ``rank`` (1, 2 or 3).
    """

    rank = 2  # overridden by each subclass
    state_count = 2

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple[int, ...],
        strides: int | tuple[int, ...] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: int | tuple[int, ...] = 1,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = self._owner
        check_positive_int(filters, "filters", owner)
        self.filters = filters
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size", owner)
        self.strides = normalize_tuple(strides, self.rank, "strides", owner)
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate", owner)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{owner}: strides > 1 cannot be combined with dilation_rate > 1; received "
                f"strides={self.strides} and dilation_rate={self.dilation_rate}."
            )
        self.padding = normalize_padding(padding, ("valid", "same"), owner)
        try:
            self.data_format = config.standardize_data_format(data_format)
        except ValueError as error:
            raise ValueError(f"{owner}: {error}") from None
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = standardize_initializer(kernel_initializer)
        self.recurrent_initializer = standardize_initializer(recurrent_initializer)
        self.bias_initializer = standardize_initializer(bias_initializer)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.input_spec = InputSpec(ndim=self.rank + 3)
        self._output_spatial: tuple[int, ...] = ()
        self._recurrent_padding: list[tuple[int, int]] = []

    @property
    def _channel_axis(self) -> int:
        return -1 if self.data_format == "channels_last" else 2

    def _spatial(self, input_shape: Shape) -> tuple[int | None, ...]:
        return tuple(input_shape[2:-1] if self.data_format == "channels_last" else input_shape[3:])

    def _output_spatial_for(self, input_shape: Shape) -> tuple[int | None, ...]:
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 3:
            raise ValueError(
                f"{self._owner}: expected an input of rank {self.rank + 3}, (batch, time, {_SPATIAL[self.rank]}, "
                "channels); "
                f"received shape {input_shape}."
            )
        sizes = tuple(
            output_size(size, k, s, d, self.padding)
            for size, k, s, d in zip(
                self._spatial(input_shape), self.kernel_size, self.strides, self.dilation_rate, strict=True
            )
        )
        if any(size is not None and size <= 0 for size in sizes):
            raise ValueError(
                f"{self._owner}: the frames are too small for kernel_size={self.kernel_size} with "
                f"dilation_rate={self.dilation_rate} and padding='valid'; received input shape {input_shape}. "
                "Use padding='same' or a smaller kernel."
            )
        return sizes

    def build(self, input_shape: Shape) -> None:
        input_shape = tuple(input_shape)
        channels = input_shape[self._channel_axis] if len(input_shape) == self.rank + 3 else None
        spatial = self._spatial(input_shape)
        if channels is None or None in spatial:
            raise ValueError(
                f"{self._owner}: the frame size and channels of the input must be known; received shape {input_shape}."
            )
        self._output_spatial = tuple(int(s) for s in self._output_spatial_for(input_shape))
        ones = (1,) * self.rank
        self._recurrent_padding = padding_pairs("same", self._output_spatial, self.kernel_size, ones, ones)
        width = 4 * self.filters
        keras_axes = kernel_keras_axes(self.rank)  # (out, in, *kernel) -> Keras' (*kernel, in, out)
        self.add_weight(
            "weight_ih", (width, channels, *self.kernel_size), self.kernel_initializer, keras_axes=keras_axes
        )
        self.add_weight(
            "weight_hh", (width, self.filters, *self.kernel_size), self.recurrent_initializer, keras_axes=keras_axes
        )
        if self.use_bias:
            bias_initializer = lstm_bias_initializer(self.bias_initializer, self.unit_forget_bias, self.filters)
            self.add_weight("bias", (width,), bias_initializer)
        else:
            self.bias = None
        self.input_spec = InputSpec(ndim=self.rank + 3, axes={self._channel_axis: channels})

    # ------------------------------------------------------------------ layouts
    def _state_tails(self) -> list[tuple[int, ...]]:
        return [(self.filters, *self._output_spatial)] * 2  # internal: channels first

    def _state_tails_for(self, input_shape: Shape | None) -> list[tuple[int, ...]]:
        if input_shape is None:
            return self._state_tails()
        return [(self.filters, *self._output_spatial_for(input_shape))] * 2

    def _keras_state_tail(self, tail: tuple[int, ...]) -> tuple[int, ...]:
        return (*tail[1:], tail[0]) if self.data_format == "channels_last" else tail

    def _output_tail(self, input_shape: Shape) -> tuple[int | None, ...]:
        return self._keras_state_tail((self.filters, *self._output_spatial_for(input_shape)))

    def _to_keras_layout(self, tensor: torch.Tensor, time_axis: bool) -> torch.Tensor:
        if self.data_format == "channels_first":
            return tensor
        first = 2 if time_axis else 1  # (..., F, *S) -> (..., *S, F), a view
        return tensor.permute(*range(first), *range(first + 1, tensor.ndim), first)

    def _from_keras_layout(self, state: torch.Tensor) -> torch.Tensor:
        if self.data_format == "channels_first":
            return state
        return state.permute(0, self.rank + 1, *range(1, self.rank + 1))  # (B, *S, F) -> (B, F, *S)

    # ------------------------------------------------------------------ computation
    def _project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        batch, steps = inputs.shape[:2]
        frames = inputs.flatten(0, 1)  # (B, T, ...) -> (B * T, ...)
        if self.data_format == "channels_last":
            frames = frames.permute(0, self.rank + 1, *range(1, self.rank + 1))  # (N, *S, C) -> (N, C, *S), a view
        projected = convolve(frames, self.weight_ih, self.bias, self.strides, self.padding, self.dilation_rate, 1)
        return projected.unflatten(0, (batch, steps))  # (B, T, 4F, *S')

    def _step(
        self, projected: torch.Tensor, states: list[torch.Tensor], recurrent_mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        h, c = states  # (B, F, *S') each
        if recurrent_mask is not None:
            h = h * recurrent_mask
        h, padding = apply_padding(h, self._recurrent_padding)
        z = projected + _CONVOLUTIONS[self.rank](h, self.weight_hh, None, 1, padding)  # (B, 4F, *S')
        i, f, g, o = z.chunk(4, dim=1)
        gate = self.recurrent_activation
        c = gate(f) * c + gate(i) * self.activation(g)
        h = gate(o) * self.activation(c)
        return h, [h, c]

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "unit_forget_bias": self.unit_forget_bias,
        }

    def extra_repr(self) -> str:
        return f"name={self.name!r}, filters={self.filters}, kernel_size={self.kernel_size}, padding={self.padding!r}"
