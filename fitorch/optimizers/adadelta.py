"""Adadelta: step sizes from moving averages of squared gradients and squared updates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.optimizer import Optimizer, check_range

if TYPE_CHECKING:
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class Adadelta(Optimizer, torch.optim.Adadelta):
    """Adadelta: ``torch.optim.Adadelta`` with Keras' arguments and defaults.

    The update rule is the same as Keras' (including where ``epsilon`` goes); only
    the defaults differ from torch's: Keras uses ``learning_rate=0.001`` (torch 1.0),
    ``rho=0.95`` (torch 0.9) and ``epsilon=1e-7`` (torch 1e-6). With Keras' small
    default learning rate, Adadelta moves slowly; Keras users who want the original
    algorithm pass ``learning_rate=1.0``. ``weight_decay`` is Keras' decoupled decay.

    Args:
        learning_rate: scales the update, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        rho: decay rate of the moving averages, in [0, 1]. Defaults to 0.95.
        epsilon: small constant for numerical stability. Defaults to 1e-7.
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
        >>> opt = Adadelta(learning_rate=1.0)
        >>> opt.get_config()["rho"], opt.built
        (0.95, False)
    """

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        rho: float = 0.95,
        epsilon: float = 1e-7,
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
        check_range("epsilon", epsilon, 0.0, None)
        if weight_decay is not None:
            check_range("weight_decay", weight_decay, 0.0, None)
        super().__init__(
            params,
            config={
                "learning_rate": learning_rate,
                "rho": rho,
                "epsilon": epsilon,
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
                "rho": rho,
                "eps": epsilon,
                "weight_decay": 0.0,
                "foreach": foreach,
            },
            decoupled_weight_decay=weight_decay,
        )
