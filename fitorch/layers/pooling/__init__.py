"""Pooling layers: windowed max/average pooling and global pooling, in 1-D, 2-D and 3-D."""

from .average_pooling1d import AveragePooling1D as AveragePooling1D
from .average_pooling2d import AveragePooling2D as AveragePooling2D
from .average_pooling3d import AveragePooling3D as AveragePooling3D
from .global_average_pooling1d import GlobalAveragePooling1D as GlobalAveragePooling1D
from .global_average_pooling2d import GlobalAveragePooling2D as GlobalAveragePooling2D
from .global_average_pooling3d import GlobalAveragePooling3D as GlobalAveragePooling3D
from .global_max_pooling1d import GlobalMaxPooling1D as GlobalMaxPooling1D
from .global_max_pooling2d import GlobalMaxPooling2D as GlobalMaxPooling2D
from .global_max_pooling3d import GlobalMaxPooling3D as GlobalMaxPooling3D
from .max_pooling1d import MaxPooling1D as MaxPooling1D
from .max_pooling2d import MaxPooling2D as MaxPooling2D
from .max_pooling3d import MaxPooling3D as MaxPooling3D

__all__ = [
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
]
