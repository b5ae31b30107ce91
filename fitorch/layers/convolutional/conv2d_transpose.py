"""``Conv2DTranspose``: 2-D transposed convolution, Keras' layer on torch's ``F.conv_transpose2d``."""

from __future__ import annotations

from fitorch.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv2DTranspose(BaseConvTranspose):
    """2-D transposed convolution (sometimes called deconvolution); its weights load into ``nn.ConvTranspose2d``.

    Use it to upsample feature maps with learned kernels: in decoders, U-Nets and
    GAN generators, ``Conv2DTranspose(filters, 4, strides=2, padding='same')`` doubles
    the height and width. Output sizes match Keras for every stride, kernel and
    ``output_padding``, including the asymmetric ``'same'`` case (``strides > 1`` with an
    odd kernel) that torch's own ``padding=`` cannot express. With the default
    ``channels_last`` layout the input is permuted to a channels_last-memory NCHW view.

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of 2 ints, the height and width of the window.
        strides: int or tuple of 2 ints (default 1), the upsampling factors.
        padding: ``'valid'`` (default) or ``'same'``.
        output_padding: ``None`` (default) or an int or tuple of 2 ints, each smaller
            than its stride, added to the output size (see Output shape).
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of 2 ints (default 1); not with ``strides > 1``.
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Input shape:
        ``(batch, height, width, channels)`` for ``channels_last``, or
        ``(batch, channels, height, width)`` for ``channels_first``.

    Output shape:
        ``(batch, new_height, new_width, filters)`` or ``(batch, filters, new_height,
        new_width)``, where, per axis with ``k = (kernel - 1) * dilation + 1``,
        ``new = size * stride`` for ``'same'``, ``(size - 1) * stride + max(k, stride)``
        for ``'valid'``, and with ``output_padding`` set ``(size - 1) * stride + k % 2 +
        output_padding`` (``'same'``) or ``(size - 1) * stride + k + output_padding`` (``'valid'``).

    Weights:
        ``weight`` of shape ``(channels, filters, kernel_h, kernel_w)`` (torch layout;
        Keras' ``kernel`` is ``(kernel_h, kernel_w, filters, channels)``) and ``bias`` of
        shape ``(filters,)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import Conv2DTranspose
        >>> layer = Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu")
        >>> layer(torch.ones(2, 7, 8, 16)).shape
        torch.Size([2, 14, 16, 8])
        >>> Conv2DTranspose(8, 3, strides=2, padding="same", output_padding=0)(torch.ones(2, 7, 8, 16)).shape
        torch.Size([2, 13, 15, 8])
        >>> layer.weight.shape
        torch.Size([16, 8, 3, 3])
    """

    rank = 2
