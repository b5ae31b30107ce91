"""Preprocessing layers: ``Rescaling``, ``Normalization``, ``Resizing`` and ``CenterCrop``."""

from fitorch.layers.preprocessing.center_crop import CenterCrop as CenterCrop
from fitorch.layers.preprocessing.normalization import Normalization as Normalization
from fitorch.layers.preprocessing.rescaling import Rescaling as Rescaling
from fitorch.layers.preprocessing.resizing import Resizing as Resizing

__all__ = ["CenterCrop", "Normalization", "Rescaling", "Resizing"]
