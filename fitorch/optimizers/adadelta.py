"""Adadelta: step sizes from moving averages of squared gradients and squared updates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from fitorch.optimizers.arguments import check_range
from fitorch.optimizers.optimizer import Optimizer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
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
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

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
        **kwargs: Unpack[CommonArguments],
    ) -> None:
        check_range("rho", rho, 0.0, 1.0)
        check_range("epsilon", epsilon, 0.0, None)
        super().__init__(
            config={"learning_rate": learning_rate, "rho": rho, "epsilon": epsilon, "weight_decay": weight_decay},
            torch_kwargs={"rho": rho, "eps": epsilon, "weight_decay": 0.0},
            decoupled_weight_decay=weight_decay,
            **kwargs,
        )
