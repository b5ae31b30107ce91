"""Pooling layers: windowed, adaptive and global max/average pooling, in 1-D, 2-D and 3-D."""

from .adaptive_average_pooling1d import AdaptiveAveragePooling1D as AdaptiveAveragePooling1D
from .adaptive_average_pooling2d import AdaptiveAveragePooling2D as AdaptiveAveragePooling2D
from .adaptive_average_pooling3d import AdaptiveAveragePooling3D as AdaptiveAveragePooling3D
from .adaptive_max_pooling1d import AdaptiveMaxPooling1D as AdaptiveMaxPooling1D
from .adaptive_max_pooling2d import AdaptiveMaxPooling2D as AdaptiveMaxPooling2D
from .adaptive_max_pooling3d import AdaptiveMaxPooling3D as AdaptiveMaxPooling3D
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
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
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
