"""``InverseTimeDecay``: ``initial_learning_rate / (1 + decay_rate * step / decay_steps)``."""

from __future__ import annotations

from typing import Any

from fitorch.optimizers.schedules.base_decay import BaseDecay


class InverseTimeDecay(BaseDecay):
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

    def __call__(self, step: Any) -> float:
        return self.initial_learning_rate / (1.0 + self.decay_rate * self.progress(step))
