"""Saving and loading that are safe by design: no model file can run code.

* ``save_model`` / ``load_model``: whole models in a ``.fitorch`` zip (config.json,
  model.safetensors, metadata.json, optimizer.safetensors). Training resumes bit
  for bit: the compile config and the optimizer state come back.
* ``save_weights`` / ``load_weights``: the ``state_dict`` in safetensors; every
  mismatch is reported at once.
* ``register_serializable``: lets your own layers, losses and functions be saved
  and found again.
* ``UnsafeModelError``: the one error a crafted or corrupt file can cause.
* ``atomic_write``: the temp-file, fsync, rename writer every fitorch file goes through.

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
from fitorch.saving.model_file import load_model as load_model
from fitorch.saving.model_file import save_model as save_model
from fitorch.saving.registry import register_serializable as register_serializable
from fitorch.saving.weights import load_weights as load_weights
from fitorch.saving.weights import save_weights as save_weights

__all__ = [
    "UnsafeModelError", "atomic_write", "load_model", "load_weights", "register_serializable", "save_model",
    "save_weights",
]  # fmt: skip
