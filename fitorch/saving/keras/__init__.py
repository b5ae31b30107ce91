"""Keras files into fitorch models: ``.keras`` archives, legacy ``.h5`` models, ``.weights.h5`` weights.

* :mod:`~fitorch.saving.keras.config` translates a Keras model config into fitorch's.
* :mod:`~fitorch.saving.keras.ops_nodes` turns ``keras.ops`` nodes into ``OpLayer`` nodes.
* :mod:`~fitorch.saving.keras.hdf5` reads HDF5 without trusting it.
* :mod:`~fitorch.saving.keras.weights` pairs arrays with layers, checks all, then copies.
* :mod:`~fitorch.saving.keras.load` puts these together for ``load_model``/``load_weights``.
"""

from fitorch.saving.keras.config import translate as translate
from fitorch.saving.keras.load import KERAS_MEMBERS as KERAS_MEMBERS
from fitorch.saving.keras.load import KERAS_WEIGHTS as KERAS_WEIGHTS
from fitorch.saving.keras.load import load_keras_archive as load_keras_archive
from fitorch.saving.keras.load import load_keras_weights as load_keras_weights
from fitorch.saving.keras.load import load_legacy_h5 as load_legacy_h5
from fitorch.saving.keras.weights import keras_save_names as keras_save_names

__all__ = [
    "KERAS_MEMBERS",
    "KERAS_WEIGHTS",
    "keras_save_names",
    "load_keras_archive",
    "load_keras_weights",
    "load_legacy_h5",
    "translate",
]
