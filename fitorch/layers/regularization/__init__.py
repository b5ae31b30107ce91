"""Regularization layers: ``Dropout``, spatial dropout, noise layers and ``ActivityRegularization``."""

from fitorch.layers.regularization.activity_regularization import ActivityRegularization as ActivityRegularization
from fitorch.layers.regularization.alpha_dropout import AlphaDropout as AlphaDropout
from fitorch.layers.regularization.dropout import Dropout as Dropout
from fitorch.layers.regularization.gaussian_dropout import GaussianDropout as GaussianDropout
from fitorch.layers.regularization.gaussian_noise import GaussianNoise as GaussianNoise
from fitorch.layers.regularization.spatial_dropout1d import SpatialDropout1D as SpatialDropout1D
from fitorch.layers.regularization.spatial_dropout2d import SpatialDropout2D as SpatialDropout2D
from fitorch.layers.regularization.spatial_dropout3d import SpatialDropout3D as SpatialDropout3D
from fitorch.layers.regularization.stochastic_depth import StochasticDepth as StochasticDepth  # ConvNeXt's

__all__ = [
    "ActivityRegularization", "AlphaDropout", "Dropout", "GaussianDropout", "GaussianNoise", "SpatialDropout1D",
    "SpatialDropout2D", "SpatialDropout3D",
]  # fmt: skip
