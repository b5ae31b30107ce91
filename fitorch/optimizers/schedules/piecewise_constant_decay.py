"""``PiecewiseConstantDecay``: constant learning rates between step boundaries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule, step_value


class PiecewiseConstantDecay(LearningRateSchedule):
    """A piecewise constant rate: ``values[i]`` while ``boundaries[i-1] < step <= boundaries[i]``.

    Use it for hand-tuned drops at known steps (say, x0.1 after 30k and 60k steps).
    The rate is ``values[0]`` for ``step <= boundaries[0]`` and ``values[-1]`` for
    ``step > boundaries[-1]``.

    Args:
        boundaries: strictly increasing step numbers.
        values: one more value than ``boundaries``.
        name: defaults to ``"PiecewiseConstant"``.

    Example:
        >>> schedule = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
        >>> [schedule(s) for s in (0, 10, 11, 20, 21)]
        [1.0, 1.0, 0.5, 0.5, 0.1]
    """

    def __init__(self, boundaries: Sequence[float], values: Sequence[float], name: str = "PiecewiseConstant") -> None:
        boundaries, values = list(boundaries), list(values)
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "PiecewiseConstantDecay: the length of boundaries should be 1 less than the length of "
                f"values. Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        if any(later <= earlier for earlier, later in zip(boundaries, boundaries[1:], strict=False)):
            raise ValueError(
                f"PiecewiseConstantDecay: boundaries must be strictly increasing. Received: boundaries={boundaries}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: Any) -> float:
        step = step_value(step)
        for boundary, value in zip(self.boundaries, self.values, strict=False):
            if step <= boundary:
                return float(value)
        return float(self.values[-1])

    def get_config(self) -> dict[str, Any]:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
