"""Keras 3 files from fitorch models: ``.keras`` archives, legacy ``.h5`` models, ``.weights.h5`` weights.

Each file is what Keras 3 itself writes, so ``keras.saving.load_model`` and
``keras_model.load_weights`` read it (and so does ``fitorch.load_model``):

* ``.keras``: a zip of ``metadata.json``, ``config.json`` (the model's Keras config,
  plus ``compile_config`` where the compile arguments have Keras equivalents) and
  ``model.weights.h5``;
* ``.h5``: the legacy whole-model HDF5 file (``model_config`` and ``training_config``
  attributes, a ``model_weights`` group);
* ``.weights.h5``: the weights alone, in the ``.keras`` layout.

Only models Keras can rebuild are written: functional and ``Sequential`` models of
fitorch layers that have a Keras counterpart. A subclassed model, a wrapped
``nn.Module``, a ``Lambda``, a plain torch module or a custom layer is refused with a
``ValueError`` that names it and suggests a ``.fitorch`` file, and nothing is written;
:func:`keras_export_problem` gives that reason without writing. Files are written
atomically (:func:`~fitorch.saving.atomic.atomic_write`). HDF5 needs ``h5py``
(``pip install fitorch[h5]``).

Example:
    >>> import os, tempfile, fitorch
    >>> from fitorch import layers
    >>> inputs = layers.Input(shape=(4,))
    >>> model = fitorch.Model(inputs, layers.Dense(2)(inputs))
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> save_keras(model, path)
    >>> fitorch.saving.load_model(path).get_weights()[0].shape
    (4, 2)
"""

from __future__ import annotations

import datetime
import io
import json
import os
import zipfile
from collections.abc import Callable
from typing import Any

from torch import nn

from fitorch.distributed.runtime import is_fully_sharded
from fitorch.saving.atomic import atomic_write, atomic_write_bytes
from fitorch.saving.keras_export.compile import keras_compile_config
from fitorch.saving.keras_export.config import KerasExportError, model_entry
from fitorch.saving.keras_export.weights import write_legacy_weights, write_weights

#: The Keras release whose file layout this writer reproduces (written into the files' metadata).
KERAS_VERSION = "3.15.1"


def _h5py() -> Any:
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py ships with the test extra
        raise ImportError("Writing Keras .keras/.h5 files needs h5py: pip install fitorch[h5]") from None
    return h5py


def _check_suffix(filepath: str | os.PathLike[str], suffixes: tuple[str, ...], function: str) -> str:
    path = os.fspath(filepath)
    if not path.endswith(suffixes):
        raise ValueError(
            f"{function}: Keras reads these files only under the name ending {' or '.join(suffixes)}; received "
            f"{path!r}."
        )
    return path


def _h5_bytes(fill: Callable[[Any], None]) -> bytes:
    """An HDF5 file built in memory by ``fill(handle)``."""
    h5py = _h5py()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as handle:
        fill(handle)
    return buffer.getvalue()


# Keras' legacy loader cannot read its own short loss aliases ("mse" resolves to a metric function there).
_LOSS_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "mape": "mean_absolute_percentage_error",
                 "msle": "mean_squared_logarithmic_error", "kld": "kl_divergence", "logcosh": "log_cosh"}  # fmt: skip


def _full_loss_names(loss: Any) -> Any:
    if isinstance(loss, str):
        return _LOSS_ALIASES.get(loss, loss)
    if isinstance(loss, list):
        return [_full_loss_names(v) for v in loss]
    if isinstance(loss, dict) and "class_name" not in loss:
        return {k: _full_loss_names(v) for k, v in loss.items()}
    return loss


def keras_export_problem(model: nn.Module) -> str | None:
    """Why ``model`` cannot be written as a Keras file, or ``None`` when it can. Writes nothing.

    Args:
        model: the model to check.

    Returns:
        ``None``, or a message naming the layer at fault (a subclassed or wrapped
        PyTorch model, a ``Lambda``, a plain ``nn.Module`` in the graph, a layer with no
        Keras counterpart) and suggesting a ``.fitorch`` file.

    Example:
        >>> import torch, fitorch
        >>> keras_export_problem(fitorch.wrap(torch.nn.Linear(2, 1)))  # doctest: +ELLIPSIS
        "Model 'linear...' (WrappedModule) cannot be written as a Keras file: ... model.save('model.fitorch')..."
    """
    if any(is_fully_sharded(module) for module in model.modules()):
        return (
            f"Model {getattr(model, 'name', type(model).__name__)!r} cannot be written as a Keras file: it is sharded "
            "by FSDP, so each rank holds only part of each weight. Save it as a fitorch file instead: "
            "model.save('model.fitorch') (every rank calls save; rank 0 writes the gathered weights)."
        )
    try:
        model_entry(model)
    except KerasExportError as error:
        return str(error)
    return None


def _checked_entry(model: nn.Module) -> dict[str, Any]:
    problem = keras_export_problem(model)
    if problem is not None:
        raise ValueError(problem)
    return model_entry(model)


def save_keras(model: nn.Module, filepath: str | os.PathLike[str], overwrite: bool = True) -> None:
    """Writes ``model`` as a Keras 3 ``.keras`` archive (config.json, metadata.json, model.weights.h5).

    ``config.json`` holds Keras' ``compile_config`` only when the optimizer (a Keras
    optimizer class with a constant learning rate), the losses and the metrics all
    have Keras equivalents by name; otherwise it is left out and Keras loads the model
    uncompiled. The optimizer's state is not written.

    Args:
        model: a functional or ``Sequential`` fitorch model.
        filepath: the target; must end in ``.keras``.
        overwrite: when ``False``, refuse to replace an existing file.

    Raises:
        ValueError: if the model has no Keras form (the message says why) or the name
            does not end in ``.keras``.
        FileExistsError: if ``overwrite`` is ``False`` and the file exists.
        ImportError: without ``h5py``.

    Example:
        >>> import os, tempfile, zipfile, fitorch
        >>> from fitorch import layers
        >>> model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(1)])
        >>> path = os.path.join(tempfile.mkdtemp(), "m.keras")
        >>> save_keras(model, path)
        >>> sorted(zipfile.ZipFile(path).namelist())
        ['config.json', 'metadata.json', 'model.weights.h5']
    """
    path = _check_suffix(filepath, (".keras",), "save_keras")
    entry = _checked_entry(model)
    compile_config = keras_compile_config(model)
    if compile_config is not None:
        entry["compile_config"] = compile_config
    weights = _h5_bytes(lambda handle: write_weights(handle, model))
    metadata = {"keras_version": KERAS_VERSION, "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    with atomic_write(path, "wb", overwrite=overwrite) as handle, zipfile.ZipFile(handle, "w") as archive:
        archive.writestr("metadata.json", json.dumps(metadata))
        archive.writestr("config.json", json.dumps(entry))
        archive.writestr("model.weights.h5", weights)


def save_keras_h5(model: nn.Module, filepath: str | os.PathLike[str], overwrite: bool = True) -> None:
    """Writes ``model`` as a legacy Keras ``.h5`` model, as Keras 3's ``legacy_h5_format`` writes it.

    The file holds the ``model_config`` attribute (JSON), ``training_config`` when
    the compile arguments have Keras equivalents (see :func:`save_keras`), and the
    ``model_weights`` group. The optimizer's state is not written.

    Args:
        model: a functional or ``Sequential`` fitorch model.
        filepath: the target; must end in ``.h5`` or ``.hdf5``.
        overwrite: when ``False``, refuse to replace an existing file.

    Raises:
        ValueError: if the model has no Keras form, or for another file name.
        FileExistsError: if ``overwrite`` is ``False`` and the file exists.
        ImportError: without ``h5py``.

    Example:
        >>> import os, tempfile, fitorch
        >>> from fitorch import layers
        >>> model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(1)])
        >>> path = os.path.join(tempfile.mkdtemp(), "m.h5")
        >>> save_keras_h5(model, path)
        >>> fitorch.saving.load_model(path).get_weights()[0].shape
        (3, 1)
    """
    path = _check_suffix(filepath, (".h5", ".hdf5"), "save_keras_h5")
    entry = _checked_entry(model)
    model_config = {"class_name": entry["class_name"], "config": entry["config"]}
    compile_config = keras_compile_config(model)

    def fill(handle: Any) -> None:
        handle.attrs["keras_version"] = KERAS_VERSION
        handle.attrs["backend"] = "torch"
        handle.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        if compile_config is not None:
            training = {k: v for k, v in compile_config.items() if k != "optimizer"}
            training["loss"] = _full_loss_names(training["loss"])
            optimizer = compile_config["optimizer"]
            training["optimizer_config"] = {"class_name": optimizer["class_name"], "config": optimizer["config"]}
            handle.attrs["training_config"] = json.dumps(training).encode("utf8")
        write_legacy_weights(handle.create_group("model_weights"), model, KERAS_VERSION)

    atomic_write_bytes(path, _h5_bytes(fill), overwrite=overwrite)


def save_keras_weights(model: nn.Module, filepath: str | os.PathLike[str], overwrite: bool = True) -> None:
    """Writes ``model``'s weights as a Keras 3 ``.weights.h5`` file (``keras_model.load_weights`` reads it).

    Args:
        model: a functional or ``Sequential`` fitorch model.
        filepath: the target; must end in ``.weights.h5``.
        overwrite: when ``False``, refuse to replace an existing file.

    Raises:
        ValueError: if the model has no Keras form, or for another file name.
        FileExistsError: if ``overwrite`` is ``False`` and the file exists.
        ImportError: without ``h5py``.

    Example:
        >>> import os, tempfile, fitorch
        >>> from fitorch import layers
        >>> model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(1)])
        >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
        >>> save_keras_weights(model, path)
        >>> copy = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(1)])
        >>> copy.load_weights(path)
        >>> bool((copy.get_weights()[0] == model.get_weights()[0]).all())
        True
    """
    path = _check_suffix(filepath, (".weights.h5",), "save_keras_weights")
    _checked_entry(model)
    atomic_write_bytes(path, _h5_bytes(lambda handle: write_weights(handle, model)), overwrite=overwrite)


__all__ = ["KERAS_VERSION", "keras_export_problem", "save_keras", "save_keras_h5", "save_keras_weights"]
