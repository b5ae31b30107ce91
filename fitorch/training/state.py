"""The fit-time state the trainer keeps for a model, and the training step's call route.

``fit``/``evaluate``/``predict`` decide things a model's definition does not: the
precision policy for its device (with a ``GradScaler`` whose state must outlive one
``fit``), whether ``torch.compile`` was switched on, the DDP wrapper, and where a
running ``fit`` stands. All of it lives in one :class:`TrainerState` that the trainer
creates and keeps on the model as ``model._trainer_state``; the model reads it through
its public ``precision``, ``fit_state`` and ``distributed`` properties and writes none
of it. A model's compile configuration (``compile()``'s arguments) stays the model's own.

Under DDP the trainer runs each training step inside :func:`step_route`: for the
duration of the step, a gradient-tracking call of that model (the built-in
``train_step``'s ``self(x)``, or a custom ``train_step``'s) goes through the DDP
wrapper, so the gradients are synchronised. Everywhere else (callbacks, user code,
``evaluate``) ``model(x)`` is the plain model and never enters a collective. This is
the Keras torch trainer's ``ddp_model or self`` choice, made per step.

Example:
    >>> import torch
    >>> model, wrapper = torch.nn.Identity(), torch.nn.Identity()
    >>> route_for(model) is None
    True
    >>> with step_route(model, wrapper):
    ...     route_for(model) is wrapper
    True
    >>> route_for(model) is None
    True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from torch import nn

from fitorch.training.precision import FULL_PRECISION, PrecisionPolicy

# (model, module to call instead) while a training step of that model runs; None otherwise.
# Model.__call__ reads it directly: one ContextVar.get per call, nothing else when unset.
STEP_ROUTE: ContextVar[tuple[nn.Module, nn.Module] | None] = ContextVar("fitorch_step_route", default=None)


@contextlib.contextmanager
def step_route(model: nn.Module, replica: nn.Module | None) -> Iterator[None]:
    """Within the block, gradient-tracking calls of ``model`` go through ``replica`` (``None``: no change).

    The replica (a DDP wrapper) calls the model back; ``Model.__call__`` clears the
    route for that inner call, so the model's own forward runs once.
    """
    if replica is None:
        yield
        return
    token = STEP_ROUTE.set((model, replica))
    try:
        yield
    finally:
        STEP_ROUTE.reset(token)


def routed_train_step(model: Any, replica: nn.Module, batch: Any) -> Any:
    """``model.train_step(batch)`` with the model's calls routed through ``replica``; the per-step
    form of :func:`step_route` (no generator frame in the hot loop)."""
    token = STEP_ROUTE.set((model, replica))
    try:
        return model.train_step(batch)
    finally:
        STEP_ROUTE.reset(token)


def route_for(model: nn.Module) -> nn.Module | None:
    """The module a call of ``model`` goes through now (its DDP wrapper inside a training step), else ``None``."""
    route = STEP_ROUTE.get()
    return route[1] if route is not None and route[0] is model else None


class TrainerState:
    """What the trainer decided for one model, kept between its ``fit``/``evaluate``/``predict`` calls.

    Attributes:
        precision: the precision policy resolved for the model's device (float32 until
            a loop resolves ``compile(mixed_precision=...)``).
        precision_key: the ``(mode, device)`` the policy was resolved for; a new policy
            (and ``GradScaler``) is made only when it changes.
        replica: the DDP wrapper the training step calls instead of the model, or ``None``.
        jit_compiled: True once the trainer switched ``torch.compile`` on for the model
            (``jit_compile``); the trainer switches off only what it switched on.
        fit: the running (or last) ``fit``'s ``FitState``, or ``None``.
    """

    def __init__(self) -> None:
        self.precision: PrecisionPolicy = FULL_PRECISION
        self.precision_key: tuple[Any, Any] | None = None
        self.replica: nn.Module | None = None
        self.jit_compiled = False
        self.fit: Any = None

    @staticmethod
    def of(model: nn.Module) -> TrainerState:
        """``model``'s state, created (and kept as ``model._trainer_state``) on first use."""
        state = model.__dict__.get("_trainer_state")
        if state is None:
            state = TrainerState()
            model.__dict__["_trainer_state"] = state  # a plain attribute: not a parameter, buffer or module
        return state
