"""``save_weights`` and ``load_weights``: the ``state_dict`` alone, in safetensors.

A weights file maps ``state_dict`` names to tensors, so it also loads into the same
architecture written in plain PyTorch (``safetensors.torch.load_file`` +
``load_state_dict``). Loading checks everything before changing anything and
reports every problem at once: missing names, unexpected names, and shape
differences as ``name: expected (...) got (...)``. ``load_weights`` also reads the
weights out of a ``.fitorch`` model file and Keras ``.weights.h5`` files.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from typing import Any

import torch
from torch import nn

from fitorch.saving import archive, keras_import, safe_json, safetensors_io
from fitorch.saving.atomic import atomic_write
from fitorch.saving.errors import UnsafeModelError, quote

_SUFFIX_MESSAGE = (
    "save_weights writes safetensors files (a name ending in '.safetensors', e.g. 'model.weights.safetensors') "
    "or Keras weights files (a name ending in '.weights.h5'); received {path!r}."
)


def _has_unbuilt_parts(model: nn.Module) -> bool:
    """True when a layer inside ``model`` still waits for its first input (so it has no weights yet).

    A subclassed model's own ``built`` flag does not count: its torch submodules have weights already.
    """
    from fitorch.layers.layer import Layer
    from fitorch.models.model import Model

    for module in model.modules():
        if isinstance(module, Layer) and not isinstance(module, Model) and not module.built:
            return True
        if isinstance(module, nn.modules.lazy.LazyModuleMixin) and module.has_uninitialized_params():
            return True
    return False


def save_weights(model: nn.Module, filepath: str | os.PathLike[str], overwrite: bool = True) -> None:
    """Saves ``model.state_dict()`` to a safetensors file, atomically.

    Args:
        model: any ``nn.Module``.
        filepath: a path ending in ``.safetensors``, or in ``.weights.h5`` for Keras'
            layout (functional and ``Sequential`` models of Keras layers only).
        overwrite: when ``False``, refuse to replace an existing file.

    Raises:
        ValueError: for another suffix, or a model with unbuilt layers (no weights yet).
        FileExistsError: if ``overwrite`` is ``False`` and the file exists.

    Example:
        >>> import os, tempfile, torch, fitorch
        >>> model = fitorch.wrap(torch.nn.Linear(3, 1))
        >>> path = os.path.join(tempfile.mkdtemp(), "w.weights.safetensors")
        >>> save_weights(model, path)
        >>> load_weights(model, path)
    """
    from fitorch.distributed.runtime import is_main_process, wait_for_writer
    from fitorch.saving.model_file import _state_tensors

    path = os.fspath(filepath)
    if path.endswith(".weights.h5"):
        _save_keras_weights(model, path, overwrite)
        return
    if not path.endswith(".safetensors"):
        raise ValueError(_SUFFIX_MESSAGE.format(path=path))
    if _has_unbuilt_parts(model):
        raise ValueError(_unbuilt_message(model, "save"))
    tensors = _state_tensors(model)  # under FSDP a collective: every rank calls save_weights
    if is_main_process():  # in a distributed run rank 0 alone writes
        with atomic_write(path, "wb", overwrite=overwrite) as handle:
            safetensors_io.write(handle, tensors, {"format": "pt", "fitorch": "weights"})
    wait_for_writer(model)


def _save_keras_weights(model: nn.Module, path: str, overwrite: bool) -> None:
    """Keras' ``.weights.h5`` layout, which ``keras_model.load_weights`` reads; refused for models Keras cannot build."""
    from fitorch.distributed.runtime import is_main_process, wait_for_writer
    from fitorch.saving.keras_export import save_keras_weights
    from fitorch.saving.model_file import keras_file_problem

    problem = keras_file_problem(model, path)
    if problem is not None:
        raise ValueError(problem)
    if is_main_process():
        save_keras_weights(model, path, overwrite=overwrite)
    wait_for_writer(model)


def _unbuilt_message(model: nn.Module, action: str) -> str:
    name = getattr(model, "name", type(model).__name__)
    return (
        f"Model {name!r} is not built yet, so it has no weights to {action}. Build it first: call it on a batch "
        "(model(x)) or call model.build(input_shape), then try again."
    )


def load_weights(model: nn.Module, filepath: str | os.PathLike[str], skip_mismatch: bool = False) -> None:
    """Loads weights into ``model`` from safetensors, a ``.fitorch`` file, or a Keras ``.weights.h5`` file.

    Args:
        model: the model to load into; it must be built.
        filepath: the weights file.
        skip_mismatch: load what matches (same name and shape) and warn about the
            rest, instead of raising.

    Raises:
        ValueError: listing every missing name, unexpected name and shape mismatch,
            unless ``skip_mismatch``; nothing is changed then.
        UnsafeModelError: if the file itself is malformed or not a weights file.
    """
    path = os.fspath(filepath)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No weights file at {path!r}.")
    if _has_unbuilt_parts(model):
        raise ValueError(_unbuilt_message(model, "load into"))
    kind = archive.sniff(path)
    if kind == "hdf5":
        keras_import.load_keras_weights(model, path, skip_mismatch=skip_mismatch)
        return
    weights = read_weights_file(path, kind)
    assign(model, weights, repr(path), skip_mismatch)


def read_weights_file(path: str, kind: str | None = None) -> dict[str, torch.Tensor]:
    """The tensors of a safetensors file or of a ``.fitorch`` archive's ``model.safetensors``.

    Raises:
        UnsafeModelError: for a file that is neither, or malformed.
    """
    from fitorch.saving.model_file import CONFIG, MEMBER_LIMITS, METADATA, OPTIMIZER, WEIGHTS

    kind = kind or archive.sniff(path)
    try:
        if kind == "zip":
            members = archive.read_archive(path, MEMBER_LIMITS, required=(CONFIG, WEIGHTS, METADATA), mapped=(WEIGHTS,))
            # The whole file must be valid, not only the member read here.
            safe_json.loads(members[CONFIG], f"{path!r}: {CONFIG}")
            safe_json.loads(members[METADATA], f"{path!r}: {METADATA}")
            if OPTIMIZER in members:
                safetensors_io.read_header(members[OPTIMIZER], f"{path!r}: {OPTIMIZER}")
            tensors, _ = safetensors_io.read(members[WEIGHTS], f"{path!r}: {WEIGHTS}")
            return tensors
        if kind in ("safetensors", "unknown"):
            tensors, _ = safetensors_io.read_file(path, repr(path))  # memory-mapped after the header checks
            return tensors
    except UnsafeModelError:
        raise
    except (OSError, ValueError, RuntimeError, TypeError) as error:
        raise UnsafeModelError(f"{quote(path)} could not be read: {error}") from error
    raise UnsafeModelError(archive.describe_unknown(kind, path))


def mismatch_report(
    expected: Mapping[str, torch.Tensor], received: Mapping[str, Any]
) -> tuple[list[str], list[str], list[str]]:
    """``(missing, unexpected, shape problems)`` between a model's state and a file's tensors."""
    missing = [name for name in expected if name not in received]
    unexpected = [name for name in received if name not in expected]
    shapes = [
        f"{name}: expected {tuple(expected[name].shape)} got {tuple(received[name].shape)}"
        for name in expected
        if name in received and tuple(expected[name].shape) != tuple(received[name].shape)
    ]
    return missing, unexpected, shapes


def shard_like(value: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """``value`` laid out as ``target``: this rank's shard when ``target`` is an FSDP ``DTensor``."""
    placements = getattr(target, "placements", None)
    if placements is None:
        return value
    from torch.distributed.tensor import distribute_tensor

    return distribute_tensor(value.to(target.device, target.dtype), target.device_mesh, placements)


def assign(model: nn.Module, weights: Mapping[str, torch.Tensor], what: str, skip_mismatch: bool) -> None:
    """Copies ``weights`` into ``model``'s state, checking names and shapes first."""
    expected = model.state_dict(keep_vars=True)
    missing, unexpected, shapes = mismatch_report(expected, weights)
    if missing or unexpected or shapes:
        lines = []
        if missing:
            lines.append(f"Missing (in the model, not in the file): {', '.join(missing)}")
        if unexpected:
            lines.append(f"Unexpected (in the file, not in the model): {', '.join(unexpected)}")
        if shapes:
            lines.append("Shape mismatches:\n  " + "\n  ".join(shapes))
        count = len(missing) + len(unexpected) + len(shapes)
        name = getattr(model, "name", type(model).__name__)
        report = f"Weights from {what} do not fit model {name!r} ({count} problems):\n" + "\n".join(lines)
        if not skip_mismatch:
            raise ValueError(report + "\nPass skip_mismatch=True to load the weights that fit and skip the rest.")
        warnings.warn(report + "\nThese were skipped (skip_mismatch=True).", UserWarning, stacklevel=3)
    skipped = {line.split(":", 1)[0] for line in shapes}
    with torch.no_grad():
        for name, tensor in expected.items():
            if name in weights and name not in skipped:
                tensor.copy_(shard_like(weights[name], tensor))
