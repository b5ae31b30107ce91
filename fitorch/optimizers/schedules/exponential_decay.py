"""``ExponentialDecay``: multiply the learning rate by ``decay_rate`` every ``decay_steps``."""

from __future__ import annotations

import math
from typing import Any

from fitorch.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_number,
    check_positive,
    step_value,
)


class ExponentialDecay(LearningRateSchedule):
    """Exponential decay: ``initial_learning_rate * decay_rate ** (step / decay_steps)``.

    Use it for a smooth, steady decrease. With ``staircase=True`` the exponent is
    ``floor(step / decay_steps)``, so the rate drops in discrete jumps.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0; the number of steps over which the rate is multiplied by
            ``decay_rate`` once.
        decay_rate: the multiplier per ``decay_steps``.
        staircase: whether to decay at discrete intervals. Defaults to ``False``.
        name: defaults to ``"ExponentialDecay"``.

    Example:
        >>> schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
        >>> schedule(0), schedule(10), round(schedule(5), 6)
        (0.1, 0.05, 0.070711)
        >>> ExponentialDecay(0.1, 10, 0.5, staircase=True)(19)
        0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "ExponentialDecay",
    ) -> None:
        check_number("ExponentialDecay", "initial_learning_rate", initial_learning_rate)
        check_positive("ExponentialDecay", "decay_steps", decay_steps)
        check_number("ExponentialDecay", "decay_rate", decay_rate)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: Any) -> float:
        p = step_value(step) / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return self.initial_learning_rate * self.decay_rate**p

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
