"""Adam: adaptive moment estimation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.optimizer import Optimizer, check_range

if TYPE_CHECKING:
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


def check_adam_args(beta_1: float, beta_2: float, epsilon: float, weight_decay: float | None) -> None:
    """Validates the arguments the Adam family shares, naming any bad one."""
    check_range("beta_1", beta_1, 0.0, 1.0, high_inclusive=False)
    check_range("beta_2", beta_2, 0.0, 1.0, high_inclusive=False)
    check_range("epsilon", epsilon, 0.0, None)
    if weight_decay is not None:
        check_range("weight_decay", weight_decay, 0.0, None)


class Adam(Optimizer, torch.optim.Adam):
    """Adam: ``torch.optim.Adam`` with Keras' arguments and defaults (``epsilon=1e-7``).

    A good default optimizer. ``weight_decay`` is decoupled, as in Keras (torch's
    ``decoupled_weight_decay=True``, i.e. AdamW's update).

    Semantics differ from Keras in one place: Keras adds ``epsilon`` to
    ``sqrt(v)`` before the bias correction, torch after it, so Keras' epsilon acts
    like torch's ``epsilon / sqrt(1 - beta_2**t)`` (about 32x larger at step 1). Steps
    agree to ~1e-6 relative whenever ``sqrt(v_hat)`` is well above epsilon; they
    differ when gradients are ~1e-6 or smaller.

    Args:
        learning_rate: the step size, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        beta_1: decay rate of the first-moment estimate, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the second-moment estimate, in [0, 1). Defaults to 0.999.
        epsilon: small constant for numerical stability. Defaults to 1e-7.
        amsgrad: whether to use the AMSGrad variant. Defaults to ``False``.
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
        >>> opt = Adam(learning_rate=0.01)
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> _ = opt.build([w])
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
        amsgrad: bool = False,
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
        check_adam_args(beta_1, beta_2, epsilon, weight_decay)
        super().__init__(
            params,
            config={
                "learning_rate": learning_rate,
                "beta_1": beta_1,
                "beta_2": beta_2,
                "epsilon": epsilon,
                "amsgrad": bool(amsgrad),
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
                "betas": (beta_1, beta_2),
                "eps": epsilon,
                "weight_decay": weight_decay or 0.0,
                "amsgrad": bool(amsgrad),
                "decoupled_weight_decay": True,
                "foreach": foreach,
                "fused": fused,
            },
        )
