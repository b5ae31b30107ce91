"""``CosineDecayRestarts``: cosine decay with warm restarts (SGDR)."""

from __future__ import annotations

import math
from typing import Any

import torch

from fitorch.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_number,
    check_positive,
    step_value,
)


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (Loshchilov & Hutter, SGDR).

    The first period decays from ``initial_learning_rate`` to ``alpha`` times it over
    ``first_decay_steps``; then the rate jumps back up. Each period is ``t_mul`` times
    longer than the previous one and starts ``m_mul`` times lower.

    Args:
        initial_learning_rate: the rate at step 0.
        first_decay_steps: > 0; the length of the first period.
        t_mul: the growth factor of the period length. Defaults to 2.0.
        m_mul: the factor of each restart's initial rate. Defaults to 1.0.
        alpha: the minimum rate as a fraction of ``initial_learning_rate``. Defaults to 0.
        name: defaults to ``"SGDRDecay"``.

    The restart index is computed in float32 (on the host CPU), as Keras computes it,
    so that at a step where a period ends exactly (where float32 rounding decides
    between "end of the old period" and "start of the new one") the rate is Keras'.

    Example:
        >>> schedule = CosineDecayRestarts(0.1, first_decay_steps=10, t_mul=1.0, m_mul=0.5)
        >>> round(schedule(0), 6), round(schedule(5), 6), round(schedule(10), 6)
        (0.1, 0.05, 0.05)
    """

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str = "SGDRDecay",
    ) -> None:
        check_number("CosineDecayRestarts", "initial_learning_rate", initial_learning_rate)
        check_positive("CosineDecayRestarts", "first_decay_steps", first_decay_steps)
        check_positive("CosineDecayRestarts", "t_mul", t_mul)
        check_number("CosineDecayRestarts", "m_mul", m_mul)
        check_number("CosineDecayRestarts", "alpha", alpha)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step: Any) -> float:
        step = step_value(step)
        completed_fraction = step / self.first_decay_steps
        t_mul = float(self._t_mul)
        if t_mul == 1.0:
            i_restart = math.floor(completed_fraction)
            completed_fraction -= i_restart
        else:
            # Periods grow geometrically: restart i starts at (1 - t_mul**i) / (1 - t_mul).
            i_restart = _restart_index(step, self.first_decay_steps, t_mul)
            sum_r = (1.0 - t_mul**i_restart) / (1.0 - t_mul)
            completed_fraction = (completed_fraction - sum_r) / t_mul**i_restart
        m_fac = self._m_mul**i_restart
        cosine_decayed = 0.5 * m_fac * (1.0 + math.cos(math.pi * completed_fraction))
        decayed = (1 - self.alpha) * cosine_decayed + self.alpha
        return self.initial_learning_rate * decayed

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


def _restart_index(step: float, first_decay_steps: float, t_mul: float) -> int:
    """``floor(log(1 - fraction * (1 - t_mul)) / log(t_mul))``, rounded as Keras' float32 ops round it."""
    fraction = torch.tensor(step, dtype=torch.float32) / torch.tensor(first_decay_steps, dtype=torch.float32)
    t = torch.tensor(t_mul, dtype=torch.float32)
    return int(torch.floor(torch.log(1.0 - fraction * (1.0 - t)) / torch.log(t)).item())
