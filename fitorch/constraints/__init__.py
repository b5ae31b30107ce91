"""Weight constraints under their Keras names: ``fitorch.constraints.get('max_norm')``.

Example:
    >>> get("non_neg")
    NonNeg()
    >>> get({"class_name": "MaxNorm", "config": {"max_value": 3, "axis": 0}})
    MaxNorm(max_value=3.0, axis=0)
    >>> serialize(UnitNorm(axis=[0, 1]))
    {'class_name': 'UnitNorm', 'config': {'axis': [0, 1]}}
"""

from __future__ import annotations

import inspect
from typing import Any

from fitorch.constraints.constraints import Constraint as Constraint
from fitorch.constraints.constraints import MaxNorm as MaxNorm
from fitorch.constraints.constraints import MinMaxNorm as MinMaxNorm
from fitorch.constraints.constraints import NonNeg as NonNeg
from fitorch.constraints.constraints import UnitNorm as UnitNorm
from fitorch.utils.naming import to_snake_case
from fitorch.utils.registry import Registry

# Keras' lowercase aliases of the classes (``keras.constraints.max_norm(2)``).
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

__all__ = [
    "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize", "get", "max_norm",
    "min_max_norm", "non_neg", "serialize", "unit_norm",
]  # fmt: skip

_REGISTRY = Registry("constraint")
for _cls in (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm):
    _REGISTRY.register([_cls.__name__, to_snake_case(_cls.__name__)], _cls)


def get(identifier: Any) -> Constraint | None:
    """Returns a constraint for a name, a config dict, a class, an instance, a callable or ``None``.

    Raises:
        ValueError: for an unknown name (the message suggests close names).
        TypeError: for anything else.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        return _REGISTRY.lookup(identifier)()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if inspect.isclass(identifier) and issubclass(identifier, Constraint):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(
        f"constraint: expected a name such as 'max_norm', a config dict, a Constraint, a callable or None; "
        f"received {identifier!r} of type {type(identifier).__name__}."
    )


def serialize(constraint: Any) -> dict[str, Any] | str | None:
    """Returns plain data (``{'class_name', 'config'}``) that ``get`` turns back into ``constraint``.

    Raises:
        TypeError: for a plain callable, which has no config.
    """
    if constraint is None or isinstance(constraint, str):
        return constraint
    if isinstance(constraint, Constraint):
        return {"class_name": type(constraint).__name__, "config": constraint.get_config()}
    raise TypeError(
        f"constraint: {constraint!r} is a plain callable and cannot be serialized; subclass "
        "fitorch.constraints.Constraint and implement get_config()."
    )


def deserialize(config: dict[str, Any]) -> Constraint:
    """Rebuilds a constraint from ``serialize``'s output (Keras' extra keys are ignored).

    Raises:
        ValueError: if ``config`` has no ``class_name``, or names an unknown class.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"constraint: a config must be a dict with 'class_name' and 'config'; received {config!r}."
        )
    return _REGISTRY.lookup(config["class_name"]).from_config(dict(config.get("config") or {}))
