"""``ExponentialDecay``: multiply the learning rate by ``decay_rate`` every ``decay_steps``."""

from __future__ import annotations

from typing import Any

from fitorch.optimizers.schedules.base_decay import BaseDecay


class ExponentialDecay(BaseDecay):
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

    def __call__(self, step: Any) -> float:
        return self.initial_learning_rate * self.decay_rate ** self.progress(step)
