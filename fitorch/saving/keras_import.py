"""Keras file import; the code lives in :mod:`fitorch.saving.keras`, this module keeps the old import path."""

from fitorch.saving import keras as _keras
from fitorch.saving.keras import KERAS_MEMBERS as KERAS_MEMBERS
from fitorch.saving.keras import KERAS_WEIGHTS as KERAS_WEIGHTS
from fitorch.saving.keras import keras_save_names as keras_save_names
from fitorch.saving.keras import load_keras_archive as load_keras_archive
from fitorch.saving.keras import load_keras_weights as load_keras_weights
from fitorch.saving.keras import load_legacy_h5 as load_legacy_h5
from fitorch.saving.keras import translate as translate

__all__ = list(_keras.__all__)  # the same public names as the package
