"""``BaseConvTranspose``: the shared parent of ``Conv1DTranspose``, ``Conv2DTranspose`` and ``Conv3DTranspose``.

A transposed convolution maps each input position to a ``kernel_size`` window of
outputs, ``strides`` apart: it upsamples, and it is the gradient of a convolution
with respect to its input. Output sizes follow Keras 3 (see
``padding.conv_transpose_crops``): ``'valid'`` gives ``(size - 1) * stride +
max(kernel, stride)``, ``'same'`` gives ``size * stride``, and ``output_padding``
sets the output size exactly as in Keras (``(size - 1) * stride + kernel + output_padding``
for ``'valid'``, ``(size - 1) * stride + kernel % 2 + output_padding`` for ``'same'``).

torch's ``F.conv_transpose*d`` crops ``padding`` positions from both ends and appends
``output_padding`` at the end, which cannot take one position more from the end than
from the start, as Keras' ``'same'`` does with ``strides > 1`` and an odd kernel. The
kernel then runs with the smaller crop and the result is sliced, a view rather than a
copy (Keras' torch backend does the same).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.convolutional import spatial_docs
from fitorch.layers.convolutional.base_conv import (
    BaseSpatialConv,
    check_positive_int,
    kernel_keras_axes,
    standardize_initializer,
)
from fitorch.layers.convolutional.padding import (
    Pair,
    conv_transpose_crops,
    conv_transpose_output_size,
    from_channels_first,
    lift,
    normalize_tuple,
    to_channels_first,
)

Shape = tuple[int | None, ...]

_NEW_SIZES = """, where, per axis with
    ``k = (kernel - 1) * dilation + 1``, ``new = size * stride`` for ``'same'``,
    ``(size - 1) * stride + max(k, stride)`` for ``'valid'``, and with
    ``output_padding`` set ``(size - 1) * stride + k % 2 + output_padding``
    (``'same'``) or ``(size - 1) * stride + k + output_padding`` (``'valid'``)"""


def conv_transpose_docs(rank: int) -> dict[str, str]:
    """The ``sections`` (``Args``, shapes, ``Weights``) of ``Conv{rank}DTranspose``.

    Example:
        >>> names = [line.split(":")[0].strip() for line in conv_transpose_docs(3)["sections"].splitlines()]
        >>> names.index("data_format") < names.index("output_padding")  # Keras' Conv3DTranspose order
        True
    """
    # Keras' Conv3DTranspose takes data_format before output_padding; the others after.
    formats = ["data_format", "output_padding"] if rank == 3 else ["output_padding", "data_format"]
    names = [
        *"filters kernel_size strides padding".split(),
        *formats,
        *"dilation_rate activation use_bias kernel_initializer bias_initializer".split(),
    ]
    weights = (
        "``weight`` of shape ``(channels, filters, {kernel})`` (torch layout;\n"
        "    Keras' ``kernel`` is ``({kernel}, filters, channels)``) and ``bias`` of shape ``(filters,)``."
    )
    return spatial_docs.conv_sections(
        rank,
        names,
        "filters",
        _NEW_SIZES,
        weights,
        strides="int or tuple of {ints} (default 1), the upsampling factors.",
        output_padding="``None`` (default) or an int or tuple of {ints}, each smaller\n"
        "than its stride, added to the output size (see Output shape).",
        dilation_rate="int or tuple of {ints} (default 1); not with ``strides > 1``.",
    )


class BaseConvTranspose(BaseSpatialConv):
    """Abstract N-D transposed convolution, ``activation(conv_transpose(inputs, kernel) + bias)``.

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of ``rank`` ints, the size of the window.
        strides: int or tuple of ``rank`` ints (default 1), the upsampling factor.
        padding: ``'valid'`` (default) or ``'same'``. Case-insensitive.
        output_padding: ``None`` (default: the size follows from ``padding``), or an int
            or tuple of ``rank`` non-negative ints, each smaller than its stride, added
            to the output size.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of ``rank`` ints (default 1); as in Keras, it cannot
            be combined with ``strides > 1``.
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Weights:
        ``weight`` of shape ``(in_channels, filters, *kernel_size)`` (torch's
        ``nn.ConvTranspose*d`` layout; ``get_weights()`` gives Keras' ``(*kernel_size,
        filters, in_channels)``) and ``bias`` of shape ``(filters,)``.
    """

    config_fields = ("filters", "output_padding")
    initializer_fields = ("kernel_initializer", "bias_initializer")
    repr_fields = ("filters", "kernel_size", "strides", "padding", "output_padding", "data_format")

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple[int, ...],
        strides: int | tuple[int, ...] = 1,
        padding: str = "valid",
        output_padding: int | tuple[int, ...] | None = None,
        data_format: str | None = None,
        dilation_rate: int | tuple[int, ...] = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        **kwargs: Any,
    ) -> None:
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias, **kwargs)
        owner = self._owner
        check_positive_int(filters, "filters", owner)
        self.filters = filters
        if output_padding is not None:
            output_padding = normalize_tuple(output_padding, self.rank, "output_padding", owner, allow_zero=True)
            if any(p >= s for p, s in zip(output_padding, self.strides, strict=True)):
                raise ValueError(
                    f"{owner}: each output_padding must be smaller than its stride; received "
                    f"output_padding={output_padding} with strides={self.strides}."
                )
        self.output_padding = output_padding
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{owner}: strides > 1 cannot be combined with dilation_rate > 1 (as in Keras); received "
                f"strides={self.strides} and dilation_rate={self.dilation_rate}."
            )
        self.kernel_initializer = standardize_initializer(kernel_initializer)
        self.bias_initializer = standardize_initializer(bias_initializer)

    def build(self, input_shape: Shape) -> None:
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)  # rejects empty outputs
        # Torch layout (in, filters, *kernel); Keras' is (*kernel, filters, in).
        weight_shape = (channels, self.filters, *self.kernel_size)
        self.add_weight("weight", weight_shape, self.kernel_initializer, keras_axes=kernel_keras_axes(self.rank))
        self._add_bias_and_input_spec(self.filters, channels)

    def _crops(self) -> list[Pair]:
        output_padding = self.output_padding or (None,) * self.rank
        return [
            conv_transpose_crops(k, s, d, self.padding, p)
            for k, s, d, p in zip(self.kernel_size, self.strides, self.dilation_rate, output_padding, strict=True)
        ]

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # (B, *S, C) -> (B, C, *S), a view; a 1-D channels_last input becomes (B, C, 1, T)
        x = to_channels_first(inputs, self.data_format, self.rank)
        weight = self.weight
        if x.ndim > self.rank + 2:  # the 1-D kernel as a unit-height 2-D one: (C, F, k) -> (C, F, 1, k)
            weight = weight.unsqueeze(2)
        strides, dilation = lift(self.strides, x), lift(self.dilation_rate, x)
        crops = [(0, 0)] * (x.ndim - 2 - self.rank) + self._crops()
        plans = [_torch_crop(crop, s, d) for crop, s, d in zip(crops, strides, dilation, strict=True)]
        padding = tuple(plan[0] for plan in plans)
        output_padding = tuple(plan[1] for plan in plans)
        rests = [plan[2] for plan in plans]
        # Zeros appended after the kernel must still receive the bias, as in Keras.
        pads_zeros = any(before < 0 or after < 0 for before, after in rests)
        conv = {3: F.conv_transpose1d, 4: F.conv_transpose2d, 5: F.conv_transpose3d}[x.ndim]
        outputs = conv(x, weight, None if pads_zeros else self.bias, strides, padding, output_padding, 1, dilation)
        outputs = _crop_or_pad(outputs, rests)
        if pads_zeros and self.bias is not None:
            outputs = outputs + self.bias.view(-1, *(1,) * (outputs.ndim - 2))
        return self.activation(from_channels_first(outputs, self.data_format, self.rank))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        input_shape = tuple(input_shape)
        self._check_rank(input_shape)
        output_padding = self.output_padding or (None,) * self.rank
        sizes = tuple(
            conv_transpose_output_size(size, k, s, d, self.padding, p)
            for size, k, s, d, p in zip(
                self._spatial(input_shape),
                self.kernel_size,
                self.strides,
                self.dilation_rate,
                output_padding,
                strict=True,
            )
        )
        if any(size is not None and size <= 0 for size in sizes):
            raise ValueError(
                f"{self._owner}: the output would be empty (spatial sizes {sizes}) for input shape {input_shape} "
                f"with kernel_size={self.kernel_size}, strides={self.strides}, padding={self.padding!r} and "
                f"output_padding={self.output_padding}. Use a larger input or output_padding."
            )
        return self._with_spatial(input_shape, sizes, self.filters)


def _torch_crop(crop: Pair, stride: int, dilation: int) -> tuple[int, int, Pair]:
    """Splits Keras' ``(before, after)`` crop into torch's ``padding``, ``output_padding`` and a rest.

    torch removes ``padding`` from both ends and then appends ``output_padding``
    (``< max(stride, dilation)``), i.e. crops ``(padding, padding - output_padding)``.
    Whatever that cannot express is returned as the rest, cropped (or, if negative,
    zero-padded) afterwards.
    """
    before, after = crop
    if before >= 0 and 0 <= before - after < max(stride, dilation):
        return before, before - after, (0, 0)
    shared = max(0, min(before, after))
    return shared, 0, (before - shared, after - shared)


def _crop_or_pad(outputs: torch.Tensor, rests: list[Pair]) -> torch.Tensor:
    """Crops (a view) or zero-pads the spatial axes of a channels-first ``outputs`` by ``rests``."""
    for axis, (before, after) in enumerate(rests, start=2):
        start, stop = max(before, 0), max(after, 0)
        if start or stop:
            outputs = outputs.narrow(axis, start, outputs.shape[axis] - start - stop)
    zeros = [amount for before, after in reversed(rests) for amount in (max(-before, 0), max(-after, 0))]
    if any(zeros):
        outputs = F.pad(outputs, zeros)
    return outputs
