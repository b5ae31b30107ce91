"""Reshaping layers: flatten, reshape, permute, repeat, crop, zero-pad and upsample."""

from fitorch.layers.reshaping.cropping1d import Cropping1D as Cropping1D
from fitorch.layers.reshaping.cropping2d import Cropping2D as Cropping2D
from fitorch.layers.reshaping.cropping3d import Cropping3D as Cropping3D
from fitorch.layers.reshaping.flatten import Flatten as Flatten
from fitorch.layers.reshaping.permute import Permute as Permute
from fitorch.layers.reshaping.repeat_vector import RepeatVector as RepeatVector
from fitorch.layers.reshaping.reshape import Reshape as Reshape
from fitorch.layers.reshaping.up_sampling1d import UpSampling1D as UpSampling1D
from fitorch.layers.reshaping.up_sampling2d import UpSampling2D as UpSampling2D
from fitorch.layers.reshaping.up_sampling3d import UpSampling3D as UpSampling3D
from fitorch.layers.reshaping.zero_padding1d import ZeroPadding1D as ZeroPadding1D
from fitorch.layers.reshaping.zero_padding2d import ZeroPadding2D as ZeroPadding2D
from fitorch.layers.reshaping.zero_padding3d import ZeroPadding3D as ZeroPadding3D

__all__ = [
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "Flatten",
    "Permute",
    "RepeatVector",
    "Reshape",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
]
