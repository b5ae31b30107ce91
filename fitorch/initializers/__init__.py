"""Weight initializers under their Keras names: ``fitorch.initializers.get('he_normal')``."""

from __future__ import annotations

from typing import Any

from fitorch.initializers.initializers import Constant as Constant
from fitorch.initializers.initializers import GlorotNormal as GlorotNormal
from fitorch.initializers.initializers import GlorotUniform as GlorotUniform
from fitorch.initializers.initializers import HeNormal as HeNormal
from fitorch.initializers.initializers import HeUniform as HeUniform
from fitorch.initializers.initializers import Identity as Identity
from fitorch.initializers.initializers import Initializer as Initializer
from fitorch.initializers.initializers import LecunNormal as LecunNormal
from fitorch.initializers.initializers import LecunUniform as LecunUniform
from fitorch.initializers.initializers import Ones as Ones
from fitorch.initializers.initializers import Orthogonal as Orthogonal
from fitorch.initializers.initializers import RandomNormal as RandomNormal
from fitorch.initializers.initializers import RandomUniform as RandomUniform
from fitorch.initializers.initializers import TruncatedNormal as TruncatedNormal
from fitorch.initializers.initializers import VarianceScaling as VarianceScaling
from fitorch.initializers.initializers import Zeros as Zeros
from fitorch.initializers.initializers import compute_fans as compute_fans
from fitorch.utils.naming import to_snake_case
from fitorch.utils.registry import Registry

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity", "Initializer",
    "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal", "RandomUniform",
    "TruncatedNormal", "VarianceScaling", "Zeros", "compute_fans", "get", "serialize",
]  # fmt: skip

_REGISTRY = Registry("initializer")
for _cls in (
    Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Identity, LecunNormal, LecunUniform,
    Ones, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, Zeros,
):  # fmt: skip
    _REGISTRY.register([_cls.__name__, to_snake_case(_cls.__name__)], _cls)
_REGISTRY.register(["uniform"], RandomUniform)
_REGISTRY.register(["normal"], RandomNormal)


def get(identifier: Any) -> Initializer:
    """Returns an initializer for a Keras name, a class, an instance or a callable.

    Example:
        >>> type(get("he_normal")).__name__
        'HeNormal'
    """
    if isinstance(identifier, str):
        return _REGISTRY.lookup(identifier)()
    if isinstance(identifier, dict) and set(identifier) == {"class_name", "config"}:
        return _REGISTRY.lookup(identifier["class_name"]).from_config(identifier["config"])
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(
        f"initializer: expected a name such as 'glorot_uniform', an Initializer or a callable; "
        f"received {identifier!r} of type {type(identifier).__name__}."
    )


def serialize(initializer: Any) -> str | dict[str, Any]:
    """Returns plain data that ``get`` turns back into ``initializer``.

    Raises:
        TypeError: for a plain callable, which has no config.
    """
    if isinstance(initializer, str) or (isinstance(initializer, dict) and set(initializer) == {"class_name", "config"}):
        return initializer
    if isinstance(initializer, Initializer):
        return {"class_name": type(initializer).__name__, "config": initializer.get_config()}
    raise TypeError(f"initializer: {initializer!r} is a plain callable and cannot be serialized.")
