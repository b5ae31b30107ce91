"""``BaseDecay``: the arguments ``ExponentialDecay`` and ``InverseTimeDecay`` share.

Keras gives both schedules the same arguments (``initial_learning_rate``,
``decay_steps``, ``decay_rate``, ``staircase``, ``name``) and the same progress
``step / decay_steps`` (floored with ``staircase``); they differ only in the formula.

Example:
    >>> class HalfPerPeriod(BaseDecay):
    ...     def __call__(self, step):
    ...         return self.initial_learning_rate / 2 ** self.progress(step)
    >>> schedule = HalfPerPeriod(0.1, decay_steps=2, decay_rate=0.5, staircase=True)
    >>> schedule(3), schedule.get_config()["name"]
    (0.05, 'HalfPerPeriod')
"""

from __future__ import annotations

import math
from typing import Any

from fitorch.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_number,
    check_positive,
    step_value,
)


class BaseDecay(LearningRateSchedule):
    """Base of schedules that decay by ``decay_rate`` per ``decay_steps``; subclasses define ``__call__``.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0; the number of steps the progress takes to grow by 1.
        decay_rate: the decay rate.
        staircase: whether to decay at discrete intervals (the progress is floored).
            Defaults to ``False``.
        name: defaults to the class name.
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str | None = None,
    ) -> None:
        owner = type(self).__name__
        check_number(owner, "initial_learning_rate", initial_learning_rate)
        check_positive(owner, "decay_steps", decay_steps)
        check_number(owner, "decay_rate", decay_rate)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = owner if name is None else name

    def progress(self, step: Any) -> float:
        """``step / decay_steps``, floored when ``staircase``."""
        p = step_value(step) / self.decay_steps
        return math.floor(p) if self.staircase else p

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
