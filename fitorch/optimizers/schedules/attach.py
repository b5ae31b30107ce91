"""Drive learning rate schedules from the optimizer itself: ``attach(optimizer, scheduler)``.

A Keras schedule changes the learning rate every optimizer step; a torch
``LRScheduler`` changes it whenever ``scheduler.step()`` is called. ``attach``
registers an optimizer step post-hook that calls ``scheduler.step()`` after every
``optimizer.step()`` (``interval='step'``), or returns a callback that does it at the
end of each epoch (``interval='epoch'``). Either way the training step stays the
textbook loop, and nothing reads the device: a scheduler computes the rate on the host.

The attached scheduler's ``state_dict()`` is saved inside ``optimizer.state_dict()``
(key ``'fitorch'``) and restored by ``optimizer.load_state_dict()``, so a checkpoint of
the optimizer resumes the schedule at the right step.

Example:
    >>> import torch
    >>> from fitorch.optimizers import SGD
    >>> from fitorch.optimizers.schedules import ExponentialDecay, attach
    >>> w = torch.nn.Parameter(torch.zeros(1))
    >>> opt = SGD(learning_rate=ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5), params=[w])
    >>> for _ in range(2):
    ...     w.grad = torch.ones(1)
    ...     opt.step()
    >>> opt.learning_rate, opt.iterations
    (0.025, 2)
    >>> plain = torch.optim.SGD([w], lr=1.0)
    >>> handle = attach(plain, torch.optim.lr_scheduler.StepLR(plain, step_size=1, gamma=0.1))
    >>> plain.step(); plain.param_groups[0]["lr"]
    0.1
"""

from __future__ import annotations

from typing import Any

import torch
from torch.optim.lr_scheduler import LRScheduler

from fitorch.callbacks.callback import Callback, Logs
from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from fitorch.optimizers.state_extras import install_state_hooks


class ScheduleLR(LRScheduler):
    """A torch ``LRScheduler`` that sets every param group's rate to ``schedule(step)``.

    ``step`` is the number of times the scheduler has been stepped (``last_epoch``),
    which :func:`attach` makes the number of ``optimizer.step()`` calls: Keras'
    ``optimizer.iterations``. Every group gets the schedule's value, as in Keras,
    where an optimizer has one learning rate.

    Args:
        optimizer: a built torch optimizer.
        schedule: a ``LearningRateSchedule`` or any callable ``step -> float``.
        initial_step: the step to start from (a resumed optimizer's iterations).
    """

    def __init__(self, optimizer: torch.optim.Optimizer, schedule: Any, initial_step: int = 0) -> None:
        if not callable(schedule):
            raise TypeError(f"ScheduleLR: `schedule` must be callable step -> float; received {schedule!r}.")
        self.schedule = schedule
        super().__init__(optimizer)
        if initial_step:
            # Resume at a later step without calling step() (torch warns about step() before optimizer.step()).
            self.last_epoch = initial_step
            value = float(schedule(initial_step))
            for group in optimizer.param_groups:
                if isinstance(group["lr"], torch.Tensor):
                    group["lr"].fill_(value)
                else:
                    group["lr"] = value
            self._last_lr = [value for _ in optimizer.param_groups]

    def get_lr(self) -> list[float]:
        value = float(self.schedule(self.last_epoch))
        return [value for _ in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """The position (plain data): everything but the optimizer and the schedule."""
        return {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "schedule")}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update({k: v for k, v in state_dict.items() if k not in ("optimizer", "schedule")})


class AttachedScheduler(Callback):
    """What :func:`attach` returns: the scheduler, how it is stepped, and how to detach it.

    It is also a :class:`~fitorch.callbacks.Callback`: with ``interval='epoch'`` pass
    it to ``fit(callbacks=[...])`` (or let the trainer add it) and it steps the
    scheduler at the end of each epoch. With ``interval='step'`` the optimizer steps
    it, and as a callback it does nothing.

    Attributes:
        scheduler: the torch ``LRScheduler``.
        interval: ``'step'`` or ``'epoch'``.
    """

    def __init__(self, optimizer: torch.optim.Optimizer, scheduler: LRScheduler, interval: str) -> None:
        super().__init__()
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.interval = interval
        self._hook = optimizer.register_step_post_hook(self._after_optimizer_step) if interval == "step" else None

    def _after_optimizer_step(self, optimizer: torch.optim.Optimizer, args: Any, kwargs: Any) -> None:
        self.scheduler.step()

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        if self.interval == "epoch":
            self.scheduler.step()

    def detach(self) -> None:
        """Stops stepping the scheduler and drops it from the optimizer's state."""
        if self._hook is not None:
            self._hook.remove()
            self._hook = None
        attached = getattr(self.optimizer, "_fitorch_lr_schedulers", [])
        if self in attached:
            attached.remove(self)

    def get_state(self) -> dict[str, Any]:
        return self.scheduler.state_dict()

    def set_state(self, state: dict[str, Any]) -> None:
        self.scheduler.load_state_dict(state)

    def __repr__(self) -> str:
        return f"AttachedScheduler({type(self.scheduler).__name__}, interval={self.interval!r})"


def attach(
    optimizer: torch.optim.Optimizer,
    scheduler: LRScheduler | LearningRateSchedule,
    interval: str = "step",
) -> AttachedScheduler:
    """Steps ``scheduler`` automatically: after every ``optimizer.step()`` or every epoch.

    Args:
        optimizer: a built torch optimizer (fitorch optimizers are built by
            ``compile``/``fit``, or by ``optimizer.build(params)``).
        scheduler: a torch ``LRScheduler`` made for ``optimizer`` (``StepLR``,
            ``OneCycleLR``, ``CosineAnnealingLR``, ...), or a Keras-style
            :class:`LearningRateSchedule` (wrapped in :class:`ScheduleLR`).
        interval: ``'step'`` (default; Keras' meaning of a schedule's step) or
            ``'epoch'`` (the usual meaning of ``StepLR(step_size=...)`` in torch code;
            the returned object must then be passed to ``fit(callbacks=...)``).

    Returns:
        An :class:`AttachedScheduler`; its ``detach()`` undoes this.

    Raises:
        TypeError: for ``ReduceLROnPlateau`` (it needs a metric: use
            ``fitorch.callbacks.ReduceLROnPlateau``) or anything that is not a scheduler.
        ValueError: for an unknown ``interval``, an unbuilt optimizer, or a scheduler
            made for another optimizer.
    """
    if interval not in ("step", "epoch"):
        raise ValueError(f"attach: `interval` must be 'step' or 'epoch'; received interval={interval!r}.")
    if getattr(optimizer, "built", True) is False:
        raise ValueError(
            "attach: the optimizer is not built yet, so a scheduler cannot adjust its param groups. "
            "Call optimizer.build(model.parameters()) first, or pass a LearningRateSchedule as the "
            "optimizer's learning_rate."
        )
    if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
        raise TypeError(
            "attach: ReduceLROnPlateau steps on a monitored metric, not on optimizer steps; use "
            "fitorch.callbacks.ReduceLROnPlateau(monitor=..., factor=..., patience=...) instead."
        )
    if isinstance(scheduler, LearningRateSchedule):
        scheduler = ScheduleLR(optimizer, scheduler)
    if not isinstance(scheduler, LRScheduler):
        raise TypeError(
            "attach: expected a torch.optim.lr_scheduler.LRScheduler or a "
            f"fitorch.optimizers.schedules.LearningRateSchedule; received {type(scheduler).__name__}."
        )
    if scheduler.optimizer is not optimizer:
        raise ValueError("attach: the scheduler was created for a different optimizer.")
    install_state_hooks(optimizer)
    handle = AttachedScheduler(optimizer, scheduler, interval)
    optimizer.__dict__.setdefault("_fitorch_lr_schedulers", []).append(handle)
    return handle


def attached_schedulers(optimizer: torch.optim.Optimizer) -> list[AttachedScheduler]:
    """The schedulers :func:`attach` has attached to ``optimizer``, in order."""
    return list(optimizer.__dict__.get("_fitorch_lr_schedulers", []))
