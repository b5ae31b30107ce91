"""The arguments every fitorch optimizer shares, defined once: names, defaults, checks and config.

Keras gives all its optimizers the same base arguments (``clipnorm``, ``use_ema``,
``gradient_accumulation_steps``, ...). Here each optimizer's ``__init__`` lists only its
own arguments and passes ``**kwargs`` on to :class:`~fitorch.optimizers.Optimizer`,
which checks them with :func:`common_config` and adds them to the config.

Example:
    >>> common_config("SGD", {"clipnorm": 1.0})["clipnorm"]
    1.0
    >>> try:
    ...     common_config("SGD", {"clipnorm": 1.0, "clipvalue": 0.5})
    ... except ValueError as e:
    ...     print(str(e)[:35])
    Only one of `clipnorm`, `clipvalue`
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any, TypedDict


class CommonArguments(TypedDict, total=False):
    """The keyword arguments every fitorch optimizer takes; see :class:`~fitorch.optimizers.Optimizer`."""

    clipnorm: float | None
    clipvalue: float | None
    global_clipnorm: float | None
    use_ema: bool
    ema_momentum: float
    ema_overwrite_frequency: int | None
    gradient_accumulation_steps: int | None
    params: Iterable[Any] | None
    foreach: bool | None
    fused: bool | None  # only the optimizers whose torch class has a fused kernel


#: Keras' defaults, in ``get_config()`` order (``params`` is not config).
COMMON_DEFAULTS: dict[str, Any] = {
    "clipnorm": None,
    "clipvalue": None,
    "global_clipnorm": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "gradient_accumulation_steps": None,
    "foreach": None,
    "fused": None,
}
#: The common arguments that are also torch's keyword arguments.
TORCH_SWITCHES = ("foreach", "fused")

_CLIPPING = ("clipnorm", "clipvalue", "global_clipnorm")


def common_config(owner: str, arguments: dict[str, Any], fused: bool = True) -> dict[str, Any]:
    """Checks the common arguments and returns them with defaults filled in, in config order.

    Args:
        owner: the optimizer's class name, for the error messages.
        arguments: the common arguments passed (any subset of :data:`COMMON_DEFAULTS`).
        fused: whether the optimizer takes ``fused`` (its torch class has a fused kernel).

    Raises:
        TypeError: for an argument the optimizer does not take.
        ValueError: for a bad value, naming the argument.
    """
    names = [name for name in COMMON_DEFAULTS if fused or name != "fused"]
    for name in arguments:
        if name not in names:
            raise TypeError(f"{owner}.__init__() got an unexpected keyword argument {name!r}")
    config = {name: arguments.get(name, COMMON_DEFAULTS[name]) for name in names}
    _check_keras_features(config)
    for name in _CLIPPING:
        _check_optional_positive(name, config[name])
    if sum(config[name] is not None for name in _CLIPPING) > 1:
        raise ValueError(
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set; received "
            + ", ".join(f"{name}={config[name]!r}" for name in _CLIPPING)
            + "."
        )
    return config


def check_learning_rate(value: Any) -> float:
    """Returns ``value`` if it is a number >= 0; otherwise raises a ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(
            f"Argument `learning_rate` must be a float >= 0 or a "
            f"fitorch.optimizers.schedules.LearningRateSchedule; received learning_rate={value!r}. "
            "For a torch.optim.lr_scheduler, build the optimizer and use "
            "fitorch.optimizers.schedules.attach(optimizer, scheduler)."
        )
    return value


def _check_keras_features(config: dict[str, Any]) -> None:
    """Validates ``use_ema``, ``ema_momentum``, ``ema_overwrite_frequency`` and
    ``gradient_accumulation_steps`` with Keras' messages."""
    steps = config.get("gradient_accumulation_steps")
    if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int) or steps < 2):
        raise ValueError(
            f"`gradient_accumulation_steps` must be an integer >= 2. Received: gradient_accumulation_steps={steps!r}."
        )
    if config.get("use_ema"):
        momentum = config.get("ema_momentum", 0.99)
        if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real) or not 0 <= momentum <= 1:
            raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={momentum!r}.")
        frequency = config.get("ema_overwrite_frequency")
        if frequency is not None and (isinstance(frequency, bool) or not isinstance(frequency, int) or frequency < 1):
            raise ValueError(
                "`ema_overwrite_frequency` must be an integer >= 1 or None. "
                f"Received: ema_overwrite_frequency={frequency!r}."
            )


def check_range(name: str, value: Any, low: float, high: float | None, high_inclusive: bool = True) -> None:
    """Raises a ``ValueError`` naming ``name`` unless ``low <= value <= high`` (or ``< high``)."""
    ok = not isinstance(value, bool) and isinstance(value, numbers.Real) and value >= low
    if ok and high is not None:
        ok = value <= high if high_inclusive else value < high
    if not ok:
        if high is None:
            expected = f">= {low}"
        else:
            expected = f"in [{low}, {high}{']' if high_inclusive else ')'}"
        raise ValueError(f"Argument `{name}` must be a float {expected}; received {name}={value!r}.")


def _check_optional_positive(name: str, value: Any) -> None:
    """Raises a ``ValueError`` naming ``name`` unless ``value`` is ``None`` or a number > 0."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0):
        raise ValueError(f"Argument `{name}` must be None or a float > 0; received {name}={value!r}.")
