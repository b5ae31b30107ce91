"""``Conv1D``: 1-D (temporal) convolution, Keras' layer on torch's fused conv kernels."""

from __future__ import annotations

from fitorch.layers.convolutional.base_conv import BaseConv, conv_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**conv_docs(1))
class Conv1D(BaseConv):
    """1-D convolution layer over sequences; its weights load into ``nn.Conv1d`` directly.

    Use it for sequences and signals: it slides ``filters`` learned kernels along the
    time axis. ``padding='causal'`` pads only the past, so ``output[t]`` never sees
    ``input[t + 1:]`` (WaveNet-style dilated causal convolutions).

    With the default ``channels_last`` layout a ``(batch, steps, channels)`` input runs
    as a unit-height image in channels_last memory through ``F.conv2d``: torch's 1-D
    kernels would copy the permuted input, the 2-D ones do not.

    {sections}

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
