"""Regularization layers: ``Dropout``."""

from fitorch.layers.regularization.dropout import Dropout as Dropout

__all__ = ["Dropout"]
