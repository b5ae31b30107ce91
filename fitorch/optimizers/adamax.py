"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.adam import check_adam_args
from fitorch.optimizers.optimizer import Optimizer

if TYPE_CHECKING:
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class Adamax(Optimizer, torch.optim.Adamax):
    """Adamax: ``torch.optim.Adamax`` with Keras' arguments and defaults.

    Defaults are Keras' (``learning_rate=0.001``, ``epsilon=1e-7``), not torch's
    (0.002, 1e-8). ``weight_decay`` is Keras' decoupled decay, applied by fitorch.

    Semantics differ from Keras in one place: Keras divides by
    ``max(beta_2 * u, |g|) + epsilon``, torch by ``max(beta_2 * u, |g| + epsilon)``;
    the two agree to about ``epsilon / |g|`` relative.

    Args:
        learning_rate: the step size, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        beta_1: decay rate of the first-moment estimate, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the infinity norm, in [0, 1). Defaults to 0.999.
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
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> opt = Adamax(learning_rate=0.01, params=[w])
        >>> w.grad = torch.tensor([0.5]); opt.step()
        >>> round(w.item(), 4)
        0.99
    """

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
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
        check_adam_args(beta_1, beta_2, epsilon, weight_decay)
        super().__init__(
            params,
            config={
                "learning_rate": learning_rate,
                "beta_1": beta_1,
                "beta_2": beta_2,
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
                "betas": (beta_1, beta_2),
                "eps": epsilon,
                "weight_decay": 0.0,
                "foreach": foreach,
            },
            decoupled_weight_decay=weight_decay,
        )
