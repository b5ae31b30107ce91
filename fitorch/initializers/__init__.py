"""Weight initializers under their Keras names: ``fitorch.initializers.get('he_normal')``.

Every Keras 3 initializer exists under its class name, its lowercase alias
(``fitorch.initializers.glorot_uniform``, as ``keras.initializers.glorot_uniform``)
and its string names, including Keras' compatibility aliases (``'one'``, ``'zero'``,
``'normal'``, ``'uniform'``, ``'IdentityInitializer'``, ``'OrthogonalInitializer'``,
``'STFTInitializer'``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from fitorch.initializers.initializers import STFT as STFT
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

# Keras' aliases: the compatibility class names and the lowercase names.
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
STFTInitializer = STFT
constant = Constant
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
identity = Identity
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
ones = Ones
orthogonal = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
stft = STFT
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
zeros = Zeros

__all__ = [
    "STFT", "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "IdentityInitializer", "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal",
    "OrthogonalInitializer", "RandomNormal", "RandomUniform", "STFTInitializer", "TruncatedNormal",
    "VarianceScaling", "Zeros", "compute_fans", "constant", "deserialize", "get", "glorot_normal", "glorot_uniform",
    "he_normal", "he_uniform", "identity", "lecun_normal", "lecun_uniform", "ones", "orthogonal",
    "random_normal", "random_uniform", "serialize", "stft", "truncated_normal", "variance_scaling", "zeros",
]  # fmt: skip

_REGISTRY = Registry("initializer")
for _cls in (
    Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Identity, LecunNormal, LecunUniform,
    Ones, Orthogonal, RandomNormal, RandomUniform, STFT, TruncatedNormal, VarianceScaling, Zeros,
):  # fmt: skip
    _REGISTRY.register([_cls.__name__, to_snake_case(_cls.__name__)], _cls)
_REGISTRY.register(["uniform"], RandomUniform)
_REGISTRY.register(["normal"], RandomNormal)
_REGISTRY.register(["one"], Ones)
_REGISTRY.register(["zero"], Zeros)
_REGISTRY.register(["IdentityInitializer", "identity_initializer"], Identity)
_REGISTRY.register(["OrthogonalInitializer", "orthogonal_initializer"], Orthogonal)
_REGISTRY.register(["STFTInitializer", "stft_initializer", "stft"], STFT)


def get(identifier: Any) -> Initializer:
    """Returns an initializer for a Keras name, a config, a class, an instance, an array or a callable.

    An array (or tensor) becomes an initializer that returns it, for its exact shape.

    Example:
        >>> type(get("he_normal")).__name__
        'HeNormal'
        >>> get(np.eye(2))((2, 2)).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    if isinstance(identifier, str):
        return _REGISTRY.lookup(identifier)()
    if isinstance(identifier, dict) and {"class_name", "config"} <= set(identifier):
        return _REGISTRY.lookup(identifier["class_name"]).from_config(identifier["config"])
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if isinstance(identifier, (np.ndarray, np.generic, torch.Tensor)):
        return _ValueInitializer(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(
        f"initializer: expected a name such as 'glorot_uniform', an Initializer or a callable; "
        f"received {identifier!r} of type {type(identifier).__name__}."
    )


class _ValueInitializer(Initializer):
    """Returns a fixed array, as Keras does when an initializer is an array or a tensor."""

    def __init__(self, value: np.ndarray | np.generic | torch.Tensor) -> None:
        self.value = torch.as_tensor(np.asarray(value) if not isinstance(value, torch.Tensor) else value)

    def fill_(self, tensor: torch.Tensor) -> None:
        if tuple(tensor.shape) != tuple(self.value.shape):
            raise ValueError(
                f"initializer: the array given as initializer has shape {tuple(self.value.shape)}, but the "
                f"weight has shape {tuple(tensor.shape)} (Keras layout)."
            )
        tensor.copy_(self.value)


def deserialize(config: dict[str, Any]) -> Initializer:
    """Rebuilds an initializer from ``serialize``'s output (Keras' extra keys are ignored).

    Raises:
        ValueError: if ``config`` lacks ``class_name``/``config`` or names an unknown class.
    """
    if not isinstance(config, dict) or not {"class_name", "config"} <= set(config):
        raise ValueError(f"initializer: a config must be a dict with 'class_name' and 'config'; received {config!r}.")
    return get(config)


def serialize(initializer: Any) -> str | dict[str, Any]:
    """Returns plain data that ``get`` turns back into ``initializer``.

    Raises:
        TypeError: for a plain callable or an array, which have no config.
    """
    if isinstance(initializer, str) or (isinstance(initializer, dict) and set(initializer) == {"class_name", "config"}):
        return initializer
    if isinstance(initializer, Initializer) and not isinstance(initializer, _ValueInitializer):
        return {"class_name": type(initializer).__name__, "config": initializer.get_config()}
    raise TypeError(f"initializer: {initializer!r} is a plain callable or an array and cannot be serialized.")
