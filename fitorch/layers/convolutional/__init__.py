"""Convolution layers: regular, transposed, depthwise and separable, in 1-D, 2-D and 3-D.

Shared parents: ``base_conv.BaseSpatialConv`` (window arguments and shapes, for all of
them), ``base_conv.BaseConv``, ``base_conv_transpose.BaseConvTranspose``,
``base_depthwise_conv.BaseDepthwiseConv`` and ``base_separable_conv.BaseSeparableConv``.
"""

from .conv1d import Conv1D as Conv1D
from .conv1d_transpose import Conv1DTranspose as Conv1DTranspose
from .conv2d import Conv2D as Conv2D
from .conv2d_transpose import Conv2DTranspose as Conv2DTranspose
from .conv3d import Conv3D as Conv3D
from .conv3d_transpose import Conv3DTranspose as Conv3DTranspose
from .depthwise_conv1d import DepthwiseConv1D as DepthwiseConv1D
from .depthwise_conv2d import DepthwiseConv2D as DepthwiseConv2D
from .separable_conv1d import SeparableConv1D as SeparableConv1D
from .separable_conv2d import SeparableConv2D as SeparableConv2D

__all__ = [
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
]
