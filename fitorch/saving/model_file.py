"""``save_model`` and ``load_model``: whole models in a ``.fitorch`` zip.

The archive holds ``config.json`` (architecture and compile config),
``model.safetensors`` (the ``state_dict``), ``metadata.json`` (versions) and, once
the optimizer has state, ``optimizer.safetensors``. Members are stored
uncompressed, with fixed timestamps, so the same model gives the same bytes.

Loading reads the members into memory under size limits, validates both tensor
files, rebuilds the architecture through the registry (with the allocation budget
and, in safe mode, the side-effect guard of :mod:`fitorch.saving.guard`), checks
that the rebuilt ``state_dict`` has exactly the file's names and shapes, then copies
the weights in and restores the compile config and optimizer state.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Mapping
from typing import Any

import torch
from torch import nn

import fitorch
from fitorch.distributed.runtime import full_state_dict, is_main_process, wait_for_writer
from fitorch.layers.layer import weights_come_from_a_file
from fitorch.saving import archive, guard, keras_import, limits, registry, safe_json, safetensors_io
from fitorch.saving.compile_state import optimizer_state, restore_compile, restore_optimizer_state, serialize_compile
from fitorch.saving.errors import UnsafeModelError, quote
from fitorch.saving.serialization import Deserializer, check_layer_name, serialize_model
from fitorch.saving.weights import mismatch_report

FORMAT_VERSION = 1
CONFIG, WEIGHTS, METADATA, OPTIMIZER = "config.json", "model.safetensors", "metadata.json", "optimizer.safetensors"
_MAX_TENSOR_FILE = 1 << 46  # 64 TiB: tensor members are bounded by the archive's real size anyway
MEMBER_LIMITS = {
    CONFIG: limits.MAX_JSON_BYTES,
    METADATA: limits.MAX_METADATA_BYTES,
    WEIGHTS: _MAX_TENSOR_FILE,
    OPTIMIZER: _MAX_TENSOR_FILE,
}


def _state_tensors(module: nn.Module) -> dict[str, torch.Tensor]:
    """The ``state_dict`` as detached tensors; a tensor shared under two names is stored twice.

    A model sharded by FSDP is gathered whole first: every rank must call this, and
    rank 0 receives the tensors (the other ranks get ``{}``).
    """
    tensors: dict[str, torch.Tensor] = {}
    seen: set[tuple[int, int]] = set()
    for name, tensor in full_state_dict(module).items():
        tensor = tensor.detach()
        key = (tensor.untyped_storage().data_ptr(), tensor.storage_offset()) if tensor.numel() else None
        if key is not None and key in seen:
            tensor = tensor.clone()
        elif key is not None:
            seen.add(key)
        tensors[name] = tensor
    return tensors


def _tensor_member(name: str, tensors: Mapping[str, torch.Tensor], metadata: Mapping[str, str]) -> archive.Member:
    prefix, ordered, size = safetensors_io.encode_header(tensors, metadata)
    return name, (size, lambda handle: safetensors_io.write_prepared(handle, prefix, ordered))


def save_model(model: nn.Module, filepath: str | os.PathLike[str], overwrite: bool = True) -> None:
    """Saves the architecture, weights, compile config and optimizer state to a ``.fitorch`` file.

    A name ending in ``.keras``, ``.h5`` or ``.hdf5`` gets a real Keras 3 file instead
    (see :mod:`fitorch.saving.keras_export`; no optimizer state), or a ``ValueError``
    saying why the model has no Keras form (a subclassed or wrapped model, a
    ``Lambda``, a layer Keras lacks) and to use ``.fitorch``: fitorch's own format is
    never written under a Keras name.

    Args:
        model: a fitorch model (functional, ``Sequential``, subclassed or wrapped).
        filepath: the target path; by convention it ends in ``.fitorch``.
        overwrite: when ``False``, refuse to replace an existing file.

    Raises:
        TypeError: if a part of the architecture cannot be saved (a ``Lambda``, an
            unregistered plain ``nn.Module`` inside a graph); the message says what to do.
        ValueError: for a Keras file name and a model that has no Keras form.
        FileExistsError: if ``overwrite`` is ``False`` and the file exists.

    Example:
        >>> import os, tempfile, fitorch
        >>> from fitorch import layers
        >>> model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
        >>> path = os.path.join(tempfile.mkdtemp(), "m.fitorch")
        >>> save_model(model, path)
        >>> fitorch.saving.load_model(path).output.shape
        (None, 2)
    """
    path = os.fspath(filepath)
    if not isinstance(model, nn.Module):
        raise TypeError(f"save_model: expected a fitorch model; received {type(model).__name__}.")
    if path.endswith(KERAS_MODEL_SUFFIXES):
        _save_keras_model(model, path, overwrite)
        return
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path!r} already exists; pass overwrite=True to replace it.")
    config = {
        "format_version": FORMAT_VERSION,
        "model": serialize_model(model),
        "compile_config": serialize_compile(model),
    }
    # Under FSDP gathering the weights and the optimizer state are collectives: every rank
    # calls save, and rank 0 alone writes.
    weights = _state_tensors(model)
    optimizer, state = getattr(model, "optimizer", None), None
    if config["compile_config"] is not None and optimizer is not None:
        state = optimizer_state(model, optimizer)
    if is_main_process():
        members: list[archive.Member] = [
            (METADATA, safe_json.dumps(_metadata())),
            (CONFIG, safe_json.dumps(config)),
            _tensor_member(WEIGHTS, weights, {"format": "pt", "fitorch": "model"}),
        ]
        if state is not None:
            members.append(_tensor_member(OPTIMIZER, *state))
        archive.write_archive(path, members, overwrite=overwrite)
    wait_for_writer(model)


#: File names that promise a Keras file: ``save_model`` writes one Keras 3 reads, or refuses.
KERAS_MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")


def keras_file_problem(model: nn.Module, path: str) -> str | None:
    """Why ``model`` cannot be saved under the Keras file name ``path``; ``None`` when it can (or ``path`` is not one)."""
    if not path.endswith((*KERAS_MODEL_SUFFIXES, ".weights.h5")):
        return None
    from fitorch.saving.keras_export import keras_export_problem

    return keras_export_problem(model)


def _save_keras_model(model: nn.Module, path: str, overwrite: bool) -> None:
    """A real Keras file under a Keras name, never fitorch's own zip: Keras 3 loads what this writes."""
    from fitorch.saving.keras_export import save_keras, save_keras_h5

    problem = keras_file_problem(model, path)  # on every rank, so that all ranks raise alike
    if problem is not None:
        raise ValueError(problem)
    if is_main_process():
        (save_keras if path.endswith(".keras") else save_keras_h5)(model, path, overwrite=overwrite)
    wait_for_writer(model)


def _metadata() -> dict[str, Any]:
    return {
        "format": "fitorch.model",
        "format_version": FORMAT_VERSION,
        "fitorch_version": fitorch.__version__,
        "torch_version": torch.__version__.split("+")[0],
    }


def load_model(
    filepath: str | os.PathLike[str],
    custom_objects: Mapping[str, Any] | None = None,
    compile: bool = True,  # noqa: A002 - Keras' argument name
    safe_mode: bool = True,
) -> nn.Module:
    """Loads a model saved with ``model.save`` (or a Keras ``.keras``/``.h5`` file).

    Loading never runs code from the file. Classes and functions come only from
    fitorch's registry, objects registered with ``register_serializable``, and
    ``custom_objects``. Anything else (a pickle, an unknown or dotted class name,
    code, a path that escapes, a size bomb, malformed tensors) raises
    ``UnsafeModelError``.

    Args:
        filepath: a ``.fitorch`` file (or a Keras ``.keras``/``.h5`` file).
        custom_objects: your classes and functions by name, for objects the file
            names that are not registered.
        compile: restore the compile config and optimizer state (default ``True``).
        safe_mode: refuse ``Lambda`` layers and guard the rebuild against side
            effects (default ``True``). ``False`` accepts ``Lambda`` layers whose
            function you pass in ``custom_objects`` and lifts the side-effect guard,
            so a registered class may then do anything its constructor does.

    Returns:
        The model, with its weights (and, with ``compile=True``, compiled and with
        its optimizer state).

    Raises:
        FileNotFoundError: if ``filepath`` does not exist.
        UnsafeModelError: if the file is refused; the message says why.
    """
    path = os.fspath(filepath)
    if custom_objects is not None and not isinstance(custom_objects, Mapping):
        raise TypeError(f"load_model: custom_objects must be a dict of name -> object; received {custom_objects!r}.")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No model file at {path!r}.")
    deserializer = Deserializer(custom_objects, safe_mode=bool(safe_mode))
    try:
        kind = archive.sniff(path)
        if kind == "hdf5":
            return keras_import.load_legacy_h5(path, deserializer, compile)
        if kind != "zip":
            raise UnsafeModelError(archive.describe_unknown(kind, path))
        members = archive.read_archive(
            path, {**keras_import.KERAS_MEMBERS, **MEMBER_LIMITS}, required=(CONFIG,), mapped=(WEIGHTS, OPTIMIZER)
        )
        if WEIGHTS not in members:  # a Keras .keras archive
            return keras_import.load_keras_archive(path, members, deserializer, compile)
        if keras_import.KERAS_WEIGHTS in members or METADATA not in members:
            raise UnsafeModelError(f"{quote(path)} mixes fitorch and Keras members; it is not a valid model file.")
        return _load_members(members, deserializer, compile, repr(path))
    except UnsafeModelError:
        raise
    except Exception as error:  # a corrupt or crafted file: one documented error type, whatever broke
        raise UnsafeModelError(
            f"{quote(path)} could not be loaded: {type(error).__name__}: {str(error)[:500]}"
        ) from error


def _load_members(members: Mapping[str, bytearray | memoryview], deserializer: Deserializer, compile: bool, what: str) -> nn.Module:  # noqa: A002
    metadata = safe_json.loads(members[METADATA], f"{what}: {METADATA}", limits.MAX_METADATA_BYTES)
    if not isinstance(metadata, dict) or metadata.get("format") != "fitorch.model":
        raise UnsafeModelError(f"{what}: {METADATA} does not describe a fitorch model.")
    version = metadata.get("format_version")
    if not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        raise UnsafeModelError(
            f"{what} has format version {quote(version)}; this fitorch ({fitorch.__version__}) reads up to "
            f"{FORMAT_VERSION}. Upgrade fitorch to load it."
        )
    config = safe_json.loads(members[CONFIG], f"{what}: {CONFIG}")
    if not isinstance(config, dict) or set(config) != {"format_version", "model", "compile_config"}:
        raise UnsafeModelError(f"{what}: {CONFIG} must hold exactly format_version, model and compile_config.")
    weights, _ = safetensors_io.read(members[WEIGHTS], f"{what}: {WEIGHTS}")
    optimizer_tensors = None
    if OPTIMIZER in members:
        optimizer_tensors = safetensors_io.read(members[OPTIMIZER], f"{what}: {OPTIMIZER}")
    budget = limits.ALLOCATION_FACTOR * sum(len(m) for m in members.values()) + limits.ALLOCATION_SLACK_BYTES
    model = rebuild(config["model"], weights, deserializer, budget, what)
    if compile and config["compile_config"] is not None:
        # Only constructing the file-named optimizer, losses and metrics runs under the side-effect
        # guard; building the optimizer and loading its validated state is fitorch's own code.
        with guard.AllocationBudget(budget, what):
            with guard.guarded(deserializer.safe_mode) as refused:
                restore_compile(model, config["compile_config"], deserializer.custom_objects)
            guard.raise_if_refused(refused)
            if optimizer_tensors is not None:
                model.place()  # the optimizer state must sit where training will run
                restore_optimizer_state(model, model.optimizer, *optimizer_tensors)
    return model


def rebuild(
    entry: Any, weights: Mapping[str, torch.Tensor], deserializer: Deserializer, budget: int, what: str
) -> nn.Module:
    """Rebuilds the model an entry describes and copies ``weights`` into it.

    Raises:
        UnsafeModelError: if the entry cannot be rebuilt, or the rebuilt model's
            ``state_dict`` differs from ``weights`` in any name or shape.
    """
    with torch.random.fork_rng(devices=[]), guard.AllocationBudget(budget, what), weights_come_from_a_file():
        with guard.guarded(deserializer.safe_mode) as refused:
            if isinstance(entry, dict) and "config" in entry and entry["config"] is None:
                model = _provided_model(entry, weights, deserializer, what)
            else:
                model = deserializer.module(entry, "the model")
            if isinstance(entry, dict) and entry.get("build_config") is not None:
                deserializer.build(model, entry["build_config"], "the model")
        guard.raise_if_refused(refused)
    copy_weights(model, weights, what)
    return model


def _provided_model(
    entry: dict[str, Any], weights: Mapping[str, Any], deserializer: Deserializer, what: str
) -> nn.Module:
    """A model saved without get_config: built from a class the caller passes in custom_objects, if any."""
    message = _unrebuildable_message(entry, weights, what)
    class_name = entry.get("class_name")
    registry.check_name(class_name)
    short = class_name.rsplit(">", 1)[-1]
    custom = deserializer.custom_objects
    # Only what the caller passes or registered: a built-in of the same name is a different class.
    factory = custom.get(class_name, custom.get(short))
    if factory is None:
        # A registered name may be any function registered for another purpose (a loss, an
        # activation): only a model class is called, and its kind is checked before the call.
        factory = registry.registered(class_name)
        if factory is not None and not (inspect.isclass(factory) and issubclass(factory, nn.Module)):
            raise UnsafeModelError(
                f"{what} names {quote(class_name)} as its model class, but the object registered under that name "
                f"is {quote(factory)}, not a model class; it was not called."
            )
    if not callable(factory):
        raise UnsafeModelError(message)
    try:
        instance = factory()
    except TypeError as error:
        raise UnsafeModelError(f"{message}\n({short}() without arguments failed: {error})") from None
    if not isinstance(instance, nn.Module):
        raise UnsafeModelError(f"custom_objects[{short!r}]() returned {type(instance).__name__}, not a model.")
    if isinstance(instance, fitorch.Model):
        return instance
    name = entry.get("name")
    return fitorch.wrap(instance, name=check_layer_name(name) if name is not None else None)


def copy_weights(model: nn.Module, weights: Mapping[str, torch.Tensor], what: str) -> None:
    """Copies ``weights`` into ``model`` after checking that names and shapes match exactly."""
    expected = model.state_dict()
    missing, unexpected, shapes = mismatch_report(expected, weights)
    if missing or unexpected or shapes:
        raise UnsafeModelError(
            f"{what}: the architecture in the file does not match its weights. "
            + "; ".join(
                part
                for part in (
                    f"missing {quote(missing)}" if missing else "",
                    f"unexpected {quote(unexpected)}" if unexpected else "",
                    "; ".join(shapes[:10]),
                )
                if part
            )
        )
    with torch.no_grad():
        for name, tensor in expected.items():
            tensor.copy_(weights[name])


def _unrebuildable_message(entry: dict[str, Any], weights: Mapping[str, Any], what: str) -> str:
    python_class = entry.get("python_class")
    class_name = entry.get("class_name")
    short = str(class_name).rsplit(">", 1)[-1]
    names = list(weights)
    shown = ", ".join(names[:8]) + (f", ... ({len(names)} in all)" if len(names) > 8 else "")
    return (
        f"{what} holds the weights of a model of class {quote(python_class)} that has no get_config(), so fitorch "
        "cannot rebuild it from the file (it never imports classes a file names). Provide the model yourself:\n"
        f"  model = {short}(...)          # built exactly as when it was saved\n"
        f"  model.load_weights({what})   # loads the weights from this file\n"
        f"or, if {short}() needs no arguments, pass custom_objects={{{short!r}: {short}}} to load_model; or give "
        f"{short} a get_config() returning its __init__ arguments, register it with "
        "@fitorch.saving.register_serializable(package=...), and save it again.\n"
        f"The file's weights: {shown}."
    )
