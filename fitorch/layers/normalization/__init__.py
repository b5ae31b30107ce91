"""Normalization layers: ``BatchNormalization``, ``GroupNormalization``, ``LayerNormalization``,
``RMSNormalization``, ``SpectralNormalization`` and ``UnitNormalization``."""

from fitorch.layers.normalization.batch_normalization import BatchNormalization as BatchNormalization
from fitorch.layers.normalization.group_normalization import GroupNormalization as GroupNormalization
from fitorch.layers.normalization.layer_normalization import LayerNormalization as LayerNormalization
from fitorch.layers.normalization.rms_normalization import RMSNormalization as RMSNormalization
from fitorch.layers.normalization.spectral_normalization import SpectralNormalization as SpectralNormalization
from fitorch.layers.normalization.unit_normalization import UnitNormalization as UnitNormalization

__all__ = [
    "BatchNormalization", "GroupNormalization", "LayerNormalization", "RMSNormalization", "SpectralNormalization",
    "UnitNormalization",
]  # fmt: skip
