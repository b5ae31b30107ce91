"""Adagrad: per-parameter step sizes from the sum of past squared gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.optimizer import Optimizer, check_range

if TYPE_CHECKING:
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class Adagrad(Optimizer, torch.optim.Adagrad):
    """Adagrad: ``torch.optim.Adagrad`` with Keras' arguments and defaults.

    Suits sparse features: rarely updated parameters keep larger steps. Defaults are
    Keras' (``learning_rate=0.001``, ``initial_accumulator_value=0.1``,
    ``epsilon=1e-7``), not torch's; torch's ``lr_decay`` stays 0 as Keras has none.
    ``weight_decay`` is Keras' decoupled decay, applied by fitorch.

    Semantics differ from Keras in one place: Keras divides by
    ``sqrt(accumulator + epsilon)``, torch by ``sqrt(accumulator) + epsilon``; with
    the accumulator starting at 0.1 the difference is below 1e-6 relative.

    Args:
        learning_rate: the step size, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        initial_accumulator_value: starting value of the squared-gradient sums, >= 0.
            Defaults to 0.1.
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
        fused: torch's ``fused`` switch; ``None`` lets torch choose.

    Example:
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> opt = Adagrad(learning_rate=0.1, params=[w])
        >>> w.grad = torch.tensor([1.0]); opt.step()
        >>> round(w.item(), 4)
        0.9047
    """

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        initial_accumulator_value: float = 0.1,
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
        fused: bool | None = None,
    ) -> None:
        check_range("initial_accumulator_value", initial_accumulator_value, 0.0, None)
        check_range("epsilon", epsilon, 0.0, None)
        if weight_decay is not None:
            check_range("weight_decay", weight_decay, 0.0, None)
        super().__init__(
            params,
            config={
                "learning_rate": learning_rate,
                "initial_accumulator_value": initial_accumulator_value,
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
                "fused": fused,
            },
            torch_kwargs={
                "lr": learning_rate,
                "lr_decay": 0.0,
                "weight_decay": 0.0,
                "initial_accumulator_value": initial_accumulator_value,
                "eps": epsilon,
                "foreach": foreach,
                "fused": fused,
            },
            decoupled_weight_decay=weight_decay,
        )
