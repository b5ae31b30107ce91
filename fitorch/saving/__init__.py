"""Saving and loading that are safe by design: no model file can run code.

* ``save_model`` / ``load_model``: whole models in a ``.fitorch`` zip (config.json,
  model.safetensors, metadata.json, optimizer.safetensors). Training resumes bit
  for bit: the compile config and the optimizer state come back.
* ``save_weights`` / ``load_weights``: the ``state_dict`` in safetensors; every
  mismatch is reported at once.
* ``register_serializable``: lets your own layers, losses and functions be saved
  and found again. Keras' spellings work too: ``register_keras_serializable``,
  ``custom_object_scope`` / ``CustomObjectScope``, ``get_custom_objects``,
  ``get_registered_name`` / ``get_registered_object``, and ``serialize_keras_object`` /
  ``deserialize_keras_object`` (which resolve classes through the same registry).
* ``UnsafeModelError``: the one error a crafted or corrupt file can cause.
* ``atomic_write``: the temp-file, fsync, rename writer every fitorch file goes through.
* ``KerasFileEditor``: inspects and edits the weights of a Keras ``.keras``/``.weights.h5`` file.

See ``docs/saving.md`` for the format and the guarantees.

Example:
    >>> import os, tempfile, numpy as np, fitorch
    >>> from fitorch import layers
    >>> inputs = layers.Input(shape=(4,))
    >>> model = fitorch.Model(inputs, layers.Dense(1)(inputs))
    >>> model.compile("adam", "mse")
    >>> path = os.path.join(tempfile.mkdtemp(), "model.fitorch")
    >>> model.save(path)
    >>> restored = fitorch.saving.load_model(path)
    >>> x = np.ones((2, 4), "float32")
    >>> bool(np.array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0)))
    True
"""

from fitorch.saving.atomic import atomic_write as atomic_write
from fitorch.saving.errors import UnsafeModelError as UnsafeModelError
from fitorch.saving.file_editor import KerasFileEditor as KerasFileEditor
from fitorch.saving.model_file import load_model as load_model
from fitorch.saving.model_file import save_model as save_model
from fitorch.saving.registry import register_serializable as register_serializable
from fitorch.saving.weights import load_weights as load_weights
from fitorch.saving.weights import save_weights as save_weights
from fitorch.utils.custom_objects import CustomObjectScope as CustomObjectScope
from fitorch.utils.custom_objects import custom_object_scope as custom_object_scope
from fitorch.utils.custom_objects import get_custom_objects as get_custom_objects
from fitorch.utils.custom_objects import get_registered_name as get_registered_name
from fitorch.utils.custom_objects import get_registered_object as get_registered_object
from fitorch.utils.custom_objects import register_keras_serializable as register_keras_serializable
from fitorch.utils.serialization_lib import deserialize_keras_object as deserialize_keras_object
from fitorch.utils.serialization_lib import serialize_keras_object as serialize_keras_object

__all__ = [
    "CustomObjectScope", "KerasFileEditor", "UnsafeModelError", "atomic_write", "custom_object_scope",
    "deserialize_keras_object", "get_custom_objects", "get_registered_name", "get_registered_object", "load_model",
    "load_weights", "register_keras_serializable", "register_serializable", "save_model", "save_weights",
    "serialize_keras_object",
]  # fmt: skip
