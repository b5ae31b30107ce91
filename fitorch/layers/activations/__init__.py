"""Activation layers: ``Activation``."""

from fitorch.layers.activations.activation import Activation as Activation

__all__ = ["Activation"]
