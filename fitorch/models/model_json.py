"""A model's architecture as a JSON string, and back: ``model.to_json()`` / ``model_from_json``.

The JSON holds the same model entry a ``.fitorch`` file's ``config.json`` holds
(:mod:`fitorch.saving.serialization` writes it), so rebuilding it goes through the
same registry-only resolution and the same guards as ``load_model``: class names
are looked up, never imported; ``Lambda`` layers are refused in ``safe_mode``; and
the rebuild may not run commands, open files or connections, or allocate tensors
past a bound. A Keras 3 (or Keras 2) ``model.to_json()`` string is accepted too
and translated as ``load_model`` translates a ``.keras`` file.

Example:
    >>> import fitorch
    >>> from fitorch import layers
    >>> model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2, name="out")])
    >>> rebuilt = model_from_json(model.to_json())
    >>> [layer.name for layer in rebuilt.layers], rebuilt.output.shape
    (['out'], (None, 2))
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from torch import nn

#: What a rebuild from JSON may allocate for weights (there are no weights in the string to size it by).
MAX_JSON_MODEL_BYTES = 8 << 30
FORMAT = "fitorch.model"


def model_entry(model: nn.Module) -> dict[str, Any]:
    """The serializer's entry for ``model``; ``TypeError`` when its architecture cannot be written."""
    from fitorch.saving.serialization import serialize_model

    entry = serialize_model(model)
    if entry.get("config") is None:
        raise TypeError(
            f"Model {getattr(model, 'name', type(model).__name__)!r} ({type(model).__name__}) is a subclassed model "
            "without get_config(), so its architecture cannot be written as JSON. Give it a get_config() returning "
            "its __init__ arguments, or build it with the functional API or Sequential."
        )
    return entry


def to_json(model: nn.Module, **kwargs: Any) -> str:
    """``model``'s architecture as a JSON string; ``kwargs`` go to ``json.dumps`` (e.g. ``indent=2``)."""
    import fitorch

    document = {"format": FORMAT, "fitorch_version": fitorch.__version__, "model": model_entry(model)}
    return json.dumps(document, **kwargs)


def deserializer(custom_objects: Mapping[str, Any] | None, safe_mode: bool, caller: str) -> Any:
    """A :class:`~fitorch.saving.serialization.Deserializer`, after checking ``custom_objects``."""
    from fitorch.saving.serialization import Deserializer

    if custom_objects is not None and not isinstance(custom_objects, Mapping):
        raise TypeError(f"{caller}: custom_objects must be a dict of name -> object; received {custom_objects!r}.")
    return Deserializer(custom_objects, safe_mode=bool(safe_mode))


def from_entry(
    entry: Any, custom_objects: Mapping[str, Any] | None, safe_mode: bool, caller: str, untrusted: bool = True
) -> nn.Module:
    """Rebuilds a model entry under ``load_model``'s guards (registry only, no side effects, bounded allocation).

    With ``untrusted`` (a string from outside), any failure becomes ``UnsafeModelError``;
    otherwise (``from_config`` on a config in memory) the layers' own errors pass through.
    """
    from fitorch.saving import guard
    from fitorch.saving.errors import UnsafeModelError

    rebuilder = deserializer(custom_objects, safe_mode, caller)
    try:
        with guard.AllocationBudget(MAX_JSON_MODEL_BYTES, caller), guard.guarded(rebuilder.safe_mode) as refused:
            model = rebuilder.module(entry, "the model")
            if isinstance(entry, dict) and entry.get("build_config") is not None:
                rebuilder.build(model, entry["build_config"], "the model")
        guard.raise_if_refused(refused)
    except UnsafeModelError:
        raise
    except Exception as error:
        if not untrusted:
            raise  # a crafted or corrupt config: one documented error type, whatever broke
        raise UnsafeModelError(f"{caller}: the model could not be rebuilt: {type(error).__name__}: {error}") from error
    return model


def model_from_json(
    json_string: str | bytes,
    custom_objects: Mapping[str, Any] | None = None,
    safe_mode: bool = True,
) -> nn.Module:
    """Builds a model (with fresh weights) from ``model.to_json()``'s string.

    As safe as ``load_model``: classes come only from fitorch's registry, objects
    registered with ``register_serializable`` and ``custom_objects``; nothing in the
    string is imported or run. A Keras ``model.to_json()`` string is accepted too.

    Args:
        json_string: the string ``model.to_json()`` returned.
        custom_objects: your classes and functions by name, for objects the string
            names that are not registered.
        safe_mode: refuse ``Lambda`` layers and guard the rebuild against side
            effects (default ``True``), as in ``load_model``.

    Returns:
        The model, its weights freshly initialized.

    Raises:
        TypeError: if ``json_string`` is not a string.
        fitorch.saving.UnsafeModelError: if the string is refused; the message says why.

    Example:
        >>> import fitorch
        >>> from fitorch import layers
        >>> inputs = layers.Input(shape=(4,), name="x")
        >>> model = fitorch.Model(inputs, layers.Dense(3, name="y")(inputs))
        >>> rebuilt = fitorch.models.model_from_json(model.to_json())
        >>> type(rebuilt).__name__, rebuilt.get_layer("y").units
        ('Functional', 3)
    """
    from fitorch.saving import keras_import, safe_json
    from fitorch.saving.errors import UnsafeModelError

    if isinstance(json_string, str):
        data = json_string.encode("utf-8")
    elif isinstance(json_string, (bytes, bytearray)):
        data = bytes(json_string)
    else:
        raise TypeError(
            f"model_from_json: expected the JSON string from model.to_json(); received {type(json_string).__name__}."
        )
    document = safe_json.loads(data, "the model JSON")
    if not isinstance(document, dict):
        raise UnsafeModelError("model_from_json: the JSON is not a model description (expected a JSON object).")
    if document.get("format") == FORMAT:
        if set(document) != {"format", "fitorch_version", "model"}:
            raise UnsafeModelError(
                "model_from_json: a fitorch model JSON holds exactly format, fitorch_version and model."
            )
        entry = document["model"]
    else:  # a Keras model.to_json() string
        entry = keras_import.translate(document, dict(custom_objects or {}))
    return from_entry(entry, custom_objects, safe_mode, "model_from_json")


def model_from_config(class_name: str, config: Any, custom_objects: Mapping[str, Any] | None, caller: str) -> nn.Module:
    """``Functional.from_config`` / ``Sequential.from_config``: the serializer's ``config`` rebuilt."""
    return from_entry({"class_name": class_name, "config": config}, custom_objects, True, caller, untrusted=False)
