"""``InverseTimeDecay``: ``initial_learning_rate / (1 + decay_rate * step / decay_steps)``."""

from __future__ import annotations

import math
from typing import Any

from fitorch.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_number,
    check_positive,
    step_value,
)


class InverseTimeDecay(LearningRateSchedule):
    """Inverse time decay: ``initial_learning_rate / (1 + decay_rate * step / decay_steps)``.

    The classic ``1/t`` decay of stochastic approximation. With ``staircase=True``,
    ``step / decay_steps`` is floored.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0; how often to apply the decay.
        decay_rate: the decay rate.
        staircase: whether to decay at discrete intervals. Defaults to ``False``.
        name: defaults to ``"InverseTimeDecay"``.

    Example:
        >>> schedule = InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)
        >>> schedule(0), schedule(2)
        (0.1, 0.05)
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "InverseTimeDecay",
    ) -> None:
        check_number("InverseTimeDecay", "initial_learning_rate", initial_learning_rate)
        check_positive("InverseTimeDecay", "decay_steps", decay_steps)
        check_number("InverseTimeDecay", "decay_rate", decay_rate)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step: Any) -> float:
        p = step_value(step) / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return self.initial_learning_rate / (1.0 + self.decay_rate * p)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }
