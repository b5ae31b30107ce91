"""Normalization layers: ``BatchNormalization``."""

from fitorch.layers.normalization.batch_normalization import BatchNormalization as BatchNormalization

__all__ = ["BatchNormalization"]
