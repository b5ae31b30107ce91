"""Keras' ``keras.optimizers.serialize`` / ``deserialize``: an optimizer as plain JSON data and back.

The dict has Keras' keys (``module``, ``class_name``, ``config``, ``registered_name``)
and is the ``optimizer`` entry fitorch stores in a saved model's compile config, so
the same names resolve: fitorch's optimizers, any ``torch.optim`` class
(``'torch.optim>Adagrad'``), classes registered with
``@fitorch.saving.register_serializable`` and ``custom_objects``. Nothing is imported
by the name a dict holds.

Example:
    >>> from fitorch.optimizers import Lion
    >>> data = serialize(Lion(learning_rate=0.01))
    >>> data["class_name"], data["config"]["beta_2"]
    ('Lion', 0.99)
    >>> restored = deserialize(data)
    >>> type(restored).__name__, restored.built, restored.learning_rate
    ('Lion', False, 0.01)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch

MODULE = "fitorch.optimizers"


def serialize(optimizer: torch.optim.Optimizer) -> dict[str, Any]:
    """Returns ``{'module', 'class_name', 'config', 'registered_name'}`` for ``optimizer``, as Keras does.

    Works for fitorch optimizers (built or not), :func:`~fitorch.optimizers.deferred`
    torch classes and built ``torch.optim`` optimizers (their ``defaults`` are the config).

    Raises:
        TypeError: if ``optimizer`` is not a torch optimizer.
        ValueError: if its config is not plain JSON data.
    """
    from fitorch.saving import registry
    from fitorch.saving.compile_state import optimizer_config

    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"serialize: expected a fitorch or torch.optim optimizer; received {optimizer!r} of type "
            f"{type(optimizer).__name__}."
        )
    stored = optimizer_config(optimizer)
    return {
        "module": MODULE,
        "class_name": stored["class_name"],
        "config": stored["config"],
        "registered_name": registry.registered_name(type(optimizer)),
    }


def deserialize(config: Mapping[str, Any], custom_objects: Mapping[str, Any] | None = None) -> torch.optim.Optimizer:
    """Creates an unbuilt optimizer from :func:`serialize`'s output (or Keras' own).

    Built-in class names are matched case-insensitively (``'adam'``), as in Keras;
    ``module`` and ``registered_name`` are not used to find the class. Keras' own
    dicts load too: their ``name`` is dropped (fitorch optimizers have none), and so is
    ``loss_scale_factor`` when it is ``None``.

    Args:
        config: ``{'class_name': ..., 'config': {...}}``, optionally with Keras'
            ``module`` and ``registered_name``.
        custom_objects: user optimizer (and schedule) classes by name.

    Raises:
        ValueError: for a malformed dict or an unknown class name.
    """
    from fitorch.optimizers.registry import OPTIMIZERS
    from fitorch.saving import UnsafeModelError
    from fitorch.saving.compile_state import make_optimizer

    if not isinstance(config, Mapping) or not isinstance(config.get("config"), Mapping) or "class_name" not in config:
        raise ValueError(
            "deserialize: expected {'class_name': ..., 'config': {...}} as written by "
            f"fitorch.optimizers.serialize; received {config!r}."
        )
    arguments = dict(config["config"])
    arguments.pop("name", None)  # Keras names its optimizers; fitorch's have no name
    if arguments.pop("loss_scale_factor", None) is not None:
        raise ValueError(
            "deserialize: fitorch optimizers do not scale the loss (`loss_scale_factor`); use "
            "torch.amp.GradScaler for mixed precision. Received: "
            f"loss_scale_factor={config['config']['loss_scale_factor']!r}."
        )
    name = config["class_name"]
    if name in OPTIMIZERS and name not in (custom_objects or {}):
        name = OPTIMIZERS.lookup(name).__name__
    try:
        return make_optimizer({"class_name": name, "config": arguments}, custom_objects or {})
    except UnsafeModelError as error:
        raise ValueError(f"deserialize: {error}") from None
