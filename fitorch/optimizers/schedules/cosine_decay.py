"""``CosineDecay``: an optional linear warmup, then a cosine decay (SGDR without restarts)."""

from __future__ import annotations

import math
from typing import Any

from fitorch.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule,
    check_number,
    check_positive,
    step_value,
)


class CosineDecay(LearningRateSchedule):
    """Cosine decay with an optional linear warmup (Loshchilov & Hutter; Goyal et al.).

    Without ``warmup_target`` the rate decays from ``initial_learning_rate`` to
    ``initial_learning_rate * alpha`` over ``decay_steps`` along half a cosine. With
    ``warmup_target`` it first rises linearly from ``initial_learning_rate`` to
    ``warmup_target`` over ``warmup_steps``, then decays from ``warmup_target`` to
    ``warmup_target * alpha`` over the next ``decay_steps``. After that it stays at
    the final value.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0; the length of the decay.
        alpha: the final rate as a fraction of the decay's starting rate. Defaults to 0.
        name: defaults to ``"CosineDecay"``.
        warmup_target: the rate reached at the end of the warmup; ``None`` (default)
            for no warmup.
        warmup_steps: the length of the warmup. Defaults to 0.

    Example:
        >>> schedule = CosineDecay(0.0, decay_steps=10, warmup_target=0.1, warmup_steps=5)
        >>> round(schedule(0), 6), round(schedule(2), 6), round(schedule(5), 6), round(schedule(10), 6)
        (0.0, 0.04, 0.1, 0.05)
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ) -> None:
        check_number("CosineDecay", "initial_learning_rate", initial_learning_rate)
        check_positive("CosineDecay", "decay_steps", decay_steps)
        check_number("CosineDecay", "alpha", alpha)
        if warmup_target is not None:
            check_number("CosineDecay", "warmup_target", warmup_target)
            check_positive("CosineDecay", "warmup_steps", warmup_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, step: float, decay_from: float) -> float:
        cosine_decayed = 0.5 * (1.0 + math.cos(math.pi * step / self.decay_steps))
        return decay_from * ((1 - self.alpha) * cosine_decayed + self.alpha)

    def __call__(self, step: Any) -> float:
        step = step_value(step)
        if self.warmup_target is None:
            return self._decay(min(step, self.decay_steps), self.initial_learning_rate)
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            delta = self.warmup_target - self.initial_learning_rate
            return delta * (step / self.warmup_steps) + self.initial_learning_rate
        return self._decay(step - self.warmup_steps, self.warmup_target)

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }
