"""``Conv3DTranspose``: 3-D transposed convolution, Keras' layer on torch's ``F.conv_transpose3d``."""

from __future__ import annotations

from typing import Any

from fitorch.layers.convolutional.base_conv_transpose import BaseConvTranspose, conv_transpose_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**conv_transpose_docs(3))
class Conv3DTranspose(BaseConvTranspose):
    """3-D transposed convolution (sometimes called deconvolution); its weights load into ``nn.ConvTranspose3d``.

    Use it to upsample volumes with learned kernels, e.g. in the decoder of a 3-D
    U-Net: ``strides=2`` with ``padding='same'`` doubles depth, height and width.
    As in Keras, ``data_format`` comes before ``output_padding`` among the positional
    arguments (the other transposed convolutions have them the other way round).

    {sections}

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
