"""Reshaping layers: ``Flatten`` and ``Reshape``."""

from fitorch.layers.reshaping.flatten import Flatten as Flatten
from fitorch.layers.reshaping.reshape import Reshape as Reshape

__all__ = ["Flatten", "Reshape"]
