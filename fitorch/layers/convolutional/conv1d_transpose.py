"""``Conv1DTranspose``: 1-D transposed convolution, Keras' layer on torch's fused kernels."""

from __future__ import annotations

from fitorch.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv1DTranspose(BaseConvTranspose):
    """1-D transposed convolution (sometimes called deconvolution); its weights load into ``nn.ConvTranspose1d``.

    Use it to upsample sequences with learned kernels, e.g. in the decoder of a
    sequence autoencoder: ``strides=2`` with ``padding='same'`` doubles the length.
    With the default ``channels_last`` layout a ``(batch, steps, channels)`` input runs
    as a unit-height image in channels_last memory, without copying it.

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of 1 int, the length of the window.
        strides: int or tuple of 1 int (default 1), the upsampling factor.
        padding: ``'valid'`` (default) or ``'same'``.
        output_padding: ``None`` (default) or an int smaller than the stride, added
            to the output length (see Output shape).
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of 1 int (default 1); not with ``strides > 1``.
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Input shape:
        ``(batch, steps, channels)`` for ``channels_last``, or
        ``(batch, channels, steps)`` for ``channels_first``.

    Output shape:
        ``(batch, new_steps, filters)`` or ``(batch, filters, new_steps)``, where, with
        ``k = (kernel_size - 1) * dilation_rate + 1``, ``new_steps`` is
        ``steps * stride`` for ``'same'``, ``(steps - 1) * stride + max(k, stride)`` for
        ``'valid'``, and with ``output_padding`` set ``(steps - 1) * stride + k % 2 +
        output_padding`` (``'same'``) or ``(steps - 1) * stride + k + output_padding``
        (``'valid'``).

    Weights:
        ``weight`` of shape ``(channels, filters, kernel_size)`` (torch layout; Keras'
        ``kernel`` is ``(kernel_size, filters, channels)``) and ``bias`` of shape ``(filters,)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import Conv1DTranspose
        >>> layer = Conv1DTranspose(4, 3, strides=2, padding="same")
        >>> layer(torch.ones(2, 10, 6)).shape
        torch.Size([2, 20, 4])
        >>> layer.weight.shape
        torch.Size([6, 4, 3])
    """

    rank = 1
