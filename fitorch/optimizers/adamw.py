"""AdamW: Adam with decoupled weight decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.adam import check_adam_args
from fitorch.optimizers.optimizer import Optimizer

if TYPE_CHECKING:
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class AdamW(Optimizer, torch.optim.AdamW):
    """AdamW: ``torch.optim.AdamW`` with Keras' arguments and defaults.

    Adam with weight decay decoupled from the gradient (``w -= lr * weight_decay * w``);
    the usual choice for transformers. Keras' default ``weight_decay`` is 0.004, not
    torch's 0.01, and ``epsilon`` is 1e-7. The epsilon placement differs from Keras as
    described in :class:`~fitorch.optimizers.Adam`.

    Args:
        learning_rate: the step size, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        weight_decay: the decoupled weight decay, >= 0. Defaults to 0.004.
        beta_1: decay rate of the first-moment estimate, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the second-moment estimate, in [0, 1). Defaults to 0.999.
        epsilon: small constant for numerical stability. Defaults to 1e-7.
        amsgrad: whether to use the AMSGrad variant. Defaults to ``False``.
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
        >>> opt = AdamW(learning_rate=0.01, weight_decay=0.1)
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> _ = opt.build([w])
        >>> w.grad = torch.tensor([0.0]); opt.step()
        >>> round(w.item(), 4)
        0.999
    """

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
        if weight_decay is None:
            raise ValueError(
                "Argument `weight_decay` must be a float >= 0 for AdamW; received weight_decay=None."
            )
        check_adam_args(beta_1, beta_2, epsilon, weight_decay)
        super().__init__(
            params,
            config={
                "learning_rate": learning_rate,
                "weight_decay": weight_decay,
                "beta_1": beta_1,
                "beta_2": beta_2,
                "epsilon": epsilon,
                "amsgrad": bool(amsgrad),
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
                "weight_decay": weight_decay,
                "amsgrad": bool(amsgrad),
                "foreach": foreach,
                "fused": fused,
            },
        )
