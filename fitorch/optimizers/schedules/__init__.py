"""Learning rate schedules: Keras' schedules, and torch schedulers stepped by the optimizer.

Pass a schedule as any fitorch optimizer's ``learning_rate``; attach a torch
``LRScheduler`` with :func:`attach`.

Example:
    >>> from fitorch import optimizers
    >>> schedule = optimizers.schedules.CosineDecay(0.1, decay_steps=100)
    >>> opt = optimizers.Adam(learning_rate=schedule)
    >>> opt.get_config()["learning_rate"]["class_name"]
    'CosineDecay'
"""

from __future__ import annotations

from typing import Any

from fitorch.optimizers.schedules.attach import AttachedScheduler as AttachedScheduler
from fitorch.optimizers.schedules.attach import ScheduleLR as ScheduleLR
from fitorch.optimizers.schedules.attach import attach as attach
from fitorch.optimizers.schedules.attach import attached_schedulers as attached_schedulers
from fitorch.optimizers.schedules.cosine_decay import CosineDecay as CosineDecay
from fitorch.optimizers.schedules.cosine_decay_restarts import CosineDecayRestarts as CosineDecayRestarts
from fitorch.optimizers.schedules.exponential_decay import ExponentialDecay as ExponentialDecay
from fitorch.optimizers.schedules.inverse_time_decay import InverseTimeDecay as InverseTimeDecay
from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule as LearningRateSchedule
from fitorch.optimizers.schedules.piecewise_constant_decay import PiecewiseConstantDecay as PiecewiseConstantDecay
from fitorch.optimizers.schedules.polynomial_decay import PolynomialDecay as PolynomialDecay
from fitorch.utils.registry import Registry

#: Built-in schedule classes by class name.
SCHEDULES = Registry("learning rate schedule")
for _cls in (
    ExponentialDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
    InverseTimeDecay,
    CosineDecay,
    CosineDecayRestarts,
):
    SCHEDULES.register(_cls.__name__, _cls)


def serialize(schedule: LearningRateSchedule) -> dict[str, Any]:
    """Returns ``{'class_name': ..., 'config': {...}}``: plain JSON data, as Keras writes it."""
    return {"class_name": type(schedule).__name__, "config": schedule.get_config()}


def deserialize(config: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> LearningRateSchedule:
    """Creates a schedule from :func:`serialize`'s output (Keras' ``module`` key is ignored).

    Args:
        config: ``{'class_name': ..., 'config': {...}}``.
        custom_objects: user schedule classes by name; only these and the built-in
            classes can be created.

    Raises:
        ValueError: for an unknown class name.
    """
    name = config["class_name"]
    custom = dict(custom_objects or {})
    cls = custom[name] if name in custom else SCHEDULES.lookup(name)
    return cls.from_config(dict(config.get("config", {})))


__all__ = [
    "AttachedScheduler",
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "SCHEDULES",
    "ScheduleLR",
    "attach",
    "attached_schedulers",
    "deserialize",
    "serialize",
]
