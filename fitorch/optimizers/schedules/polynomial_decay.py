"""``PolynomialDecay``: decay to ``end_learning_rate`` along a polynomial over ``decay_steps``."""

from __future__ import annotations

import math
from typing import Any

from fitorch.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_number,
    check_positive,
    step_value,
)


class PolynomialDecay(LearningRateSchedule):
    """Polynomial decay from ``initial_learning_rate`` to ``end_learning_rate``.

    ``(initial - end) * (1 - step / decay_steps) ** power + end``, with ``step``
    capped at ``decay_steps``; ``power=1`` is a linear decay. With ``cycle=True`` the
    decay restarts: ``decay_steps`` becomes the first multiple of itself that is at
    least ``step``.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0; the steps to reach ``end_learning_rate``.
        end_learning_rate: the final rate. Defaults to 0.0001.
        power: the polynomial's power. Defaults to 1.0.
        cycle: whether to restart after ``decay_steps``. Defaults to ``False``.
        name: defaults to ``"PolynomialDecay"``.

    Example:
        >>> schedule = PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.0)
        >>> schedule(0), round(schedule(5), 6), schedule(10), schedule(20)
        (0.1, 0.05, 0.0, 0.0)
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str = "PolynomialDecay",
    ) -> None:
        check_number("PolynomialDecay", "initial_learning_rate", initial_learning_rate)
        check_positive("PolynomialDecay", "decay_steps", decay_steps)
        check_number("PolynomialDecay", "end_learning_rate", end_learning_rate)
        check_number("PolynomialDecay", "power", power)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step: Any) -> float:
        step = step_value(step)
        decay_steps = float(self.decay_steps)
        if self.cycle:
            # Keras: the first multiple of decay_steps >= step (step 0 counts as one cycle).
            decay_steps *= 1.0 if step == 0 else math.ceil(step / self.decay_steps)
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        return (self.initial_learning_rate - self.end_learning_rate) * (1 - p) ** self.power + self.end_learning_rate

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }
