"""Convolution layers: ``Conv1D`` and ``Conv2D`` (their shared parent is ``base_conv.BaseConv``)."""

from .conv1d import Conv1D as Conv1D
from .conv2d import Conv2D as Conv2D

__all__ = ["Conv1D", "Conv2D"]
