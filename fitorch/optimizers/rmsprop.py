"""RMSprop: gradient steps scaled by a moving average of squared gradients."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from fitorch.optimizers.arguments import check_range
from fitorch.optimizers.optimizer import Optimizer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
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
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

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
        **kwargs: Unpack[CommonArguments],
    ) -> None:
        check_range("rho", rho, 0.0, 1.0)
        check_range("momentum", momentum, 0.0, 1.0)
        check_range("epsilon", epsilon, 0.0, None)
        super().__init__(
            config={
                "learning_rate": learning_rate,
                "rho": rho,
                "momentum": momentum,
                "epsilon": epsilon,
                "centered": bool(centered),
                "weight_decay": weight_decay,
            },
            torch_kwargs={
                "alpha": rho,
                "eps": epsilon,
                "weight_decay": 0.0,
                "momentum": momentum,
                "centered": bool(centered),
            },
            decoupled_weight_decay=weight_decay,
            **kwargs,
        )
