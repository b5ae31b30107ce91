"""``Conv3DTranspose``: 3-D transposed convolution, Keras' layer on torch's ``F.conv_transpose3d``."""

from __future__ import annotations

from typing import Any

from fitorch.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv3DTranspose(BaseConvTranspose):
    """3-D transposed convolution (sometimes called deconvolution); its weights load into ``nn.ConvTranspose3d``.

    Use it to upsample volumes with learned kernels, e.g. in the decoder of a 3-D
    U-Net: ``strides=2`` with ``padding='same'`` doubles depth, height and width.
    As in Keras, ``data_format`` comes before ``output_padding`` among the positional
    arguments (the other transposed convolutions have them the other way round).

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of 3 ints, the depth, height and width of the window.
        strides: int or tuple of 3 ints (default 1), the upsampling factors.
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        output_padding: ``None`` (default) or an int or tuple of 3 ints, each smaller
            than its stride, added to the output size (see Output shape).
        dilation_rate: int or tuple of 3 ints (default 1); not with ``strides > 1``.
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Input shape:
        ``(batch, depth, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, depth, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, new_depth, new_height, new_width, filters)`` or ``(batch, filters,
        new_depth, new_height, new_width)``, where, per axis with
        ``k = (kernel - 1) * dilation + 1``, ``new = size * stride`` for ``'same'``,
        ``(size - 1) * stride + max(k, stride)`` for ``'valid'``, and with
        ``output_padding`` set ``(size - 1) * stride + k % 2 + output_padding``
        (``'same'``) or ``(size - 1) * stride + k + output_padding`` (``'valid'``).

    Weights:
        ``weight`` of shape ``(channels, filters, kernel_d, kernel_h, kernel_w)`` (torch
        layout; Keras' ``kernel`` is ``(kernel_d, kernel_h, kernel_w, filters, channels)``)
        and ``bias`` of shape ``(filters,)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import Conv3DTranspose
        >>> layer = Conv3DTranspose(4, 2, strides=2)
        >>> layer(torch.ones(2, 5, 4, 3, 6)).shape
        torch.Size([2, 10, 8, 6, 4])
    """

    rank = 3

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple[int, ...],
        strides: int | tuple[int, ...] = 1,
        padding: str = "valid",
        data_format: str | None = None,
        output_padding: int | tuple[int, ...] | None = None,
        dilation_rate: int | tuple[int, ...] = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            output_padding=output_padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            **kwargs,
        )
