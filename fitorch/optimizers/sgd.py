"""Stochastic gradient descent, with optional (Nesterov) momentum."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.arguments import check_range
from fitorch.optimizers.optimizer import Optimizer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class SGD(Optimizer, torch.optim.SGD):
    """Gradient descent with momentum: ``torch.optim.SGD`` with Keras' arguments and defaults.

    Keras keeps the velocity in units of the step (``v = momentum * v - lr * g``),
    torch in units of the gradient (``b = momentum * b + g``, step ``lr * b``). The two
    agree at a constant learning rate; when the rate changes (a schedule,
    ``ReduceLROnPlateau``, ``LearningRateScheduler``), torch would rescale the whole
    history by the new rate. A step pre-hook rescales torch's buffer by
    ``old_lr / new_lr`` first, so the updates stay Keras' exactly, warmups from a rate
    of 0 included. (One case cannot be represented: when the rate drops to exactly 0
    mid-training, Keras keeps coasting on its velocity, while here the weights stop
    and the velocity restarts from zero once the rate is positive again.)

    ``weight_decay`` is Keras' decoupled decay (``w -= lr * weight_decay * w`` before
    the update), not torch's L2 term added to the gradient: the two agree without
    momentum, but with momentum torch's L2 decay is amplified by ``1 / (1 - momentum)``.

    Args:
        learning_rate: the step size, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.01.
        momentum: in [0, 1]; accelerates along consistent gradient directions.
            Defaults to 0.
        nesterov: whether to use Nesterov momentum (ignored when momentum is 0).
        weight_decay: optional decoupled weight decay, >= 0.
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

    Example:
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> opt = SGD(learning_rate=0.1, momentum=0.9, params=[w])
        >>> for _ in range(2):
        ...     w.grad = torch.tensor([1.0])
        ...     opt.step()
        >>> round(w.item(), 4)
        0.71
    """

    _has_fused_kernel = True

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float | None = None,
        **kwargs: Unpack[CommonArguments],
    ) -> None:
        check_range("momentum", momentum, 0.0, 1.0)
        super().__init__(
            config={
                "learning_rate": learning_rate,
                "momentum": momentum,
                "nesterov": bool(nesterov),
                "weight_decay": weight_decay,
            },
            torch_kwargs={
                "momentum": momentum,
                # Keras ignores nesterov without momentum; torch would refuse it.
                "nesterov": bool(nesterov) and momentum > 0,
                "weight_decay": 0.0,
            },
            decoupled_weight_decay=weight_decay,
            **kwargs,
        )

    def _register_keras_hook(self) -> None:
        super()._register_keras_hook()
        if self._config["momentum"] > 0:
            self.register_step_pre_hook(_keep_keras_velocity)


@torch.no_grad()
def _keep_keras_velocity(optimizer: torch.optim.SGD, args: Any, kwargs: Any) -> None:
    """Rescales momentum buffers by ``lr_then / lr_now`` so that ``-lr * buffer`` is Keras' velocity.

    ``group['momentum_lr']`` is the rate the buffers are scaled for (saved in the
    param groups, so a resumed optimizer continues exactly). After a step at rate 0
    Keras' new velocity is 0 (from rest), so the factor 0 / lr_now is right. Groups
    without gradients this step (gradient accumulation) are left for the next update.
    """
    for group in optimizer.param_groups:
        params = [p for p in group["params"] if p.grad is not None]
        if not params:
            continue
        lr, then = group["lr"], group.get("momentum_lr")
        buffers = [optimizer.state[p]["momentum_buffer"] for p in params if "momentum_buffer" in optimizer.state[p]]
        if isinstance(lr, torch.Tensor):
            if then is not None and buffers:
                torch._foreach_mul_(buffers, torch.where(lr != 0, then / torch.where(lr != 0, lr, 1), 1))
            group["momentum_lr"] = lr.clone()
            continue
        if then is not None and then != lr and lr != 0 and buffers:
            torch._foreach_mul_(buffers, then / lr)
        group["momentum_lr"] = lr
