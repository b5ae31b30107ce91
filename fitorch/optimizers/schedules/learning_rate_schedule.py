"""``LearningRateSchedule``: the learning rate as a function of the optimizer step.

A schedule is a plain Python callable ``schedule(step) -> float`` with Keras' names,
arguments and values. Pass one as ``learning_rate=`` to any fitorch optimizer: the
optimizer then sets ``param_group['lr'] = schedule(iterations)`` after each
``step()`` (a torch ``LRScheduler`` driven by an optimizer step hook, see
:func:`fitorch.optimizers.schedules.attach`). The value is computed on the host from a
Python int, so the training loop never waits for the device.

Example:
    >>> class HalvingSchedule(LearningRateSchedule):
    ...     def __init__(self, initial_learning_rate):
    ...         self.initial_learning_rate = initial_learning_rate
    ...     def __call__(self, step):
    ...         return self.initial_learning_rate / 2 ** int(step)
    ...     def get_config(self):
    ...         return {"initial_learning_rate": self.initial_learning_rate}
    >>> HalvingSchedule(0.1)(3)
    0.0125
"""

from __future__ import annotations

import numbers
from typing import Any


def step_value(step: Any) -> float:
    """Returns ``step`` (an int, a float or a 0-d tensor) as a Python float.

    A tensor is read back to the host: call schedules with Python ints in loops.
    """
    if isinstance(step, numbers.Number):
        return float(step)
    return float(step.item() if hasattr(step, "item") else step)


def check_positive(owner: str, name: str, value: Any) -> None:
    """Raises a ``ValueError`` naming ``owner`` and ``name`` unless ``value > 0``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
        raise ValueError(f"{owner}: argument `{name}` must be > 0. Received: {name}={value!r}.")


def check_number(owner: str, name: str, value: Any) -> None:
    """Raises a ``TypeError`` naming ``owner`` and ``name`` unless ``value`` is a real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{owner}: argument `{name}` must be a Python number. Received: {name}={value!r} "
            f"of type {type(value).__name__}."
        )


class LearningRateSchedule:
    """Base class of learning rate schedules: ``__call__(step)`` returns the rate for ``step``.

    Subclass it and implement ``__call__(self, step)`` (``step`` is the number of
    optimizer steps taken so far, a Python int) and ``get_config()`` (the constructor
    arguments as plain JSON data). ``from_config(config)`` is ``cls(**config)``.
    """

    def __call__(self, step: Any) -> float:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` in order to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LearningRateSchedule:
        """Creates a schedule from the output of :meth:`get_config`."""
        return cls(**config)

    def __repr__(self) -> str:
        try:
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        except NotImplementedError:
            args = ""
        return f"{type(self).__name__}({args})"
