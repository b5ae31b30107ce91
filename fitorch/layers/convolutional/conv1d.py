"""``Conv1D``: 1-D (temporal) convolution, Keras' layer on torch's fused conv kernels."""

from __future__ import annotations

from fitorch.layers.convolutional.base_conv import BaseConv


class Conv1D(BaseConv):
    """1-D convolution layer over sequences; its weights load into ``nn.Conv1d`` directly.

    Use it for sequences and signals: it slides ``filters`` learned kernels along the
    time axis. ``padding='causal'`` pads only the past, so ``output[t]`` never sees
    ``input[t + 1:]`` (WaveNet-style dilated causal convolutions).

    With the default ``channels_last`` layout a ``(batch, steps, channels)`` input runs
    as a unit-height image in channels_last memory through ``F.conv2d``: torch's 1-D
    kernels would copy the permuted input, the 2-D ones do not.

    Args:
        filters: positive int, the number of output channels.
        kernel_size: int or tuple of 1 int, the length of the window.
        strides: int or tuple of 1 int (default 1).
        padding: ``'valid'`` (default), ``'same'`` or ``'causal'`` (left padding of
            ``(kernel_size - 1) * dilation_rate``).
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of 1 int (default 1).
        groups: positive int dividing ``filters`` and the input channels (default 1).
        activation: activation name or callable (default ``None``, linear).
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.

    Input shape:
        ``(batch, steps, channels)`` for ``channels_last``, or
        ``(batch, channels, steps)`` for ``channels_first``.

    Output shape:
        ``(batch, new_steps, filters)`` for ``channels_last``, or
        ``(batch, filters, new_steps)`` for ``channels_first``, where
        ``new_steps = ceil(steps / stride)`` for ``'same'`` and ``'causal'`` and
        ``floor((steps - (kernel_size - 1) * dilation_rate - 1) / stride) + 1`` for ``'valid'``.

    Weights:
        ``weight`` of shape ``(filters, channels // groups, kernel_size)`` (torch layout;
        Keras' ``kernel`` is ``(kernel_size, channels // groups, filters)``) and ``bias``
        of shape ``(filters,)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.convolutional import Conv1D
        >>> layer = Conv1D(4, 3, padding="causal", dilation_rate=2)
        >>> layer(torch.ones(2, 10, 6)).shape
        torch.Size([2, 10, 4])
        >>> layer.weight.shape
        torch.Size([4, 6, 3])
    """

    rank = 1
    allowed_padding = ("valid", "same", "causal")
