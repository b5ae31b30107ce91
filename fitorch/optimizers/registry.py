"""String names for optimizers, ``get``, and deferred versions of any torch optimizer class.

Example:
    >>> opt = get("Adam")
    >>> type(opt).__name__, opt.built, opt.learning_rate
    ('Adam', False, 0.001)
    >>> try:
    ...     get("adamm")
    ... except ValueError as e:
    ...     print(str(e).splitlines()[0])
    Unknown optimizer: 'adamm'. Did you mean 'adam' or 'nadam' or 'adamw'?
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

import torch

from fitorch.optimizers.adadelta import Adadelta
from fitorch.optimizers.adafactor import Adafactor
from fitorch.optimizers.adagrad import Adagrad
from fitorch.optimizers.adam import Adam
from fitorch.optimizers.adamax import Adamax
from fitorch.optimizers.adamw import AdamW
from fitorch.optimizers.ftrl import Ftrl
from fitorch.optimizers.lion import Lion
from fitorch.optimizers.nadam import Nadam
from fitorch.optimizers.optimizer import Optimizer
from fitorch.optimizers.rmsprop import RMSprop
from fitorch.optimizers.sgd import SGD
from fitorch.utils.registry import Registry

#: Optimizer classes by Keras name (lookups are case-insensitive: 'Adam', 'RMSprop').
OPTIMIZERS = Registry("optimizer")
# Keras' string names; Keras has no string for Lamb (``keras.optimizers.get('lamb')`` fails), nor does fitorch.
for _cls in (SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion, Adafactor, Ftrl):
    OPTIMIZERS.register(_cls.__name__.lower(), _cls)

_DEFERRED_CLASSES: dict[type[torch.optim.Optimizer], type[Optimizer]] = {}


class _Deferred(Optimizer):
    """The base of :func:`deferred` classes: a torch class's own keyword arguments, built on first use."""

    _takes_common_arguments = False
    _torch_class: type[torch.optim.Optimizer]
    _default_lr: float | None = None

    def __init__(self, params: Iterable[Any] | None = None, **torch_kwargs: Any) -> None:
        if "learning_rate" in torch_kwargs:  # from_config / Keras spelling
            torch_kwargs["lr"] = torch_kwargs.pop("learning_rate")
        lr = torch_kwargs.pop("lr", self._default_lr)
        if lr is None:
            raise TypeError(f"{self._torch_class.__name__} needs a learning rate: pass lr=... .")
        super().__init__({"learning_rate": lr, **torch_kwargs}, torch_kwargs, params=params)

    def __reduce__(self) -> tuple:
        # The class is made at run time, so pickle cannot find it by name: it is made again
        # (deferred() caches it) and a fresh instance is created from the config, then
        # pickle restores the state.
        return (_rebuild_deferred, (self._torch_class, self._config), self.__getstate__())


def deferred(torch_class: type[torch.optim.Optimizer]) -> type[Optimizer]:
    """Returns a version of a torch optimizer class that can be created before its parameters.

    The returned class (cached per ``torch_class``) takes ``params=None`` and the torch
    class's own keyword arguments; ``build(params)`` runs the torch ``__init__``. A
    fitorch optimizer class is returned unchanged.

    Example:
        >>> opt = deferred(torch.optim.Adam)(lr=0.01)
        >>> _ = opt.build([torch.nn.Parameter(torch.ones(1))])
        >>> isinstance(opt, torch.optim.Adam), opt.param_groups[0]["eps"]
        (True, 1e-08)
    """
    if issubclass(torch_class, Optimizer):
        return torch_class
    if torch_class not in _DEFERRED_CLASSES:
        lr = inspect.signature(torch_class.__init__).parameters.get("lr")
        _DEFERRED_CLASSES[torch_class] = type(
            torch_class.__name__,
            (_Deferred, torch_class),
            {
                "_torch_class": torch_class,
                "_default_lr": None if lr is None or lr.default is inspect.Parameter.empty else lr.default,
                "__module__": __name__,
                "__qualname__": f"deferred({torch_class.__name__})",
                "__doc__": f"``{torch_class.__module__}.{torch_class.__name__}``, built on first use.",
            },
        )
    return _DEFERRED_CLASSES[torch_class]


def _rebuild_deferred(torch_class: type[torch.optim.Optimizer], config: dict[str, Any]) -> Optimizer:
    """Unpickling helper: a new, unbuilt ``deferred(torch_class)`` with this config."""
    return deferred(torch_class).from_config(config)


def get(identifier: Any) -> torch.optim.Optimizer:
    """Returns an optimizer for a name, class or instance.

    Args:
        identifier: a Keras optimizer name (``'adam'``, ``'sgd'``, ``'RMSprop'``,
            case-insensitive), which gives an unbuilt instance with Keras' defaults; a
            fitorch optimizer or any constructed ``torch.optim.Optimizer`` (returned
            as is); a fitorch optimizer class (instantiated, unbuilt); or any other
            ``torch.optim.Optimizer`` subclass (an unbuilt :func:`deferred` instance
            with torch's defaults).

    Raises:
        ValueError: for an unknown name; the message suggests close names.
        TypeError: for anything else.
    """
    if isinstance(identifier, torch.optim.Optimizer):
        return identifier
    if isinstance(identifier, str):
        return OPTIMIZERS.lookup(identifier)()
    if isinstance(identifier, type) and issubclass(identifier, torch.optim.Optimizer):
        return deferred(identifier)()
    raise TypeError(
        "Could not interpret the `optimizer` argument: expected an optimizer name such as 'adam', "
        "a fitorch optimizer or torch.optim.Optimizer (instance or class); "
        f"received optimizer={identifier!r} of type {type(identifier).__name__}."
    )
