"""RMSprop: gradient steps scaled by a moving average of squared gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.optimizer import Optimizer, check_range

if TYPE_CHECKING:
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class RMSprop(Optimizer, torch.optim.RMSprop):
    """RMSprop: ``torch.optim.RMSprop`` with Keras' arguments and defaults.

    Keras' ``rho`` is torch's ``alpha``; defaults are Keras' (``learning_rate=0.001``,
    ``rho=0.9``, ``epsilon=1e-7``), not torch's. ``weight_decay`` is Keras' decoupled
    decay, applied by fitorch before torch's update.

    Semantics differ from Keras in one place: Keras divides by
    ``sqrt(v + epsilon)``, torch by ``sqrt(v) + epsilon``. Steps agree closely while
    ``v`` is well above ``epsilon`` (gradients above ~1e-2); for tiny gradients torch
    takes larger steps (at ``v = 0`` Keras' divisor is ``sqrt(1e-7) ~ 3e-4``).

    Args:
        learning_rate: the step size, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        rho: decay rate of the squared-gradient average, in [0, 1]. Defaults to 0.9.
        momentum: in [0, 1]. Defaults to 0.
        epsilon: small constant for numerical stability. Defaults to 1e-7.
        centered: whether to normalise by the estimated gradient variance.
        weight_decay: optional decoupled weight decay, >= 0.
        clipnorm: optional; clips each gradient tensor to this L2 norm.
        clipvalue: optional; clips gradient entries to ``[-clipvalue, clipvalue]``.
        global_clipnorm: optional; clips all gradients together to this global norm.
        use_ema: whether to keep an exponential moving average of the weights, which
            ``fit`` copies into the model at the end of training. Defaults to ``False``.
        ema_momentum: the moving average's momentum, in [0, 1]. Defaults to 0.99.
        ema_overwrite_frequency: optional; every this many updates, overwrite the
            weights with their moving average.
        gradient_accumulation_steps: optional int >= 2; update the weights every this
            many ``step()`` calls, with the mean gradient since the last update.
        params: parameters to build with now; leave out to :meth:`build` later.
        foreach: torch's ``foreach`` switch; ``None`` lets torch choose.

    Example:
        >>> opt = RMSprop(learning_rate=0.01, params=[torch.nn.Parameter(torch.ones(2))])
        >>> opt.param_groups[0]["alpha"], opt.get_config()["rho"]
        (0.9, 0.9)
    """

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        gradient_accumulation_steps: int | None = None,
        *,
        params: Iterable[Any] | None = None,
        foreach: bool | None = None,
    ) -> None:
        check_range("rho", rho, 0.0, 1.0)
        check_range("momentum", momentum, 0.0, 1.0)
        check_range("epsilon", epsilon, 0.0, None)
        if weight_decay is not None:
            check_range("weight_decay", weight_decay, 0.0, None)
        super().__init__(
            params,
            config={
                "learning_rate": learning_rate,
                "rho": rho,
                "momentum": momentum,
                "epsilon": epsilon,
                "centered": bool(centered),
                "weight_decay": weight_decay,
                "clipnorm": clipnorm,
                "clipvalue": clipvalue,
                "global_clipnorm": global_clipnorm,
                "use_ema": use_ema,
                "ema_momentum": ema_momentum,
                "ema_overwrite_frequency": ema_overwrite_frequency,
                "gradient_accumulation_steps": gradient_accumulation_steps,
                "foreach": foreach,
            },
            torch_kwargs={
                "lr": learning_rate,
                "alpha": rho,
                "eps": epsilon,
                "weight_decay": 0.0,
                "momentum": momentum,
                "centered": bool(centered),
                "foreach": foreach,
            },
            decoupled_weight_decay=weight_decay,
        )
