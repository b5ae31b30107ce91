"""Lion: sign updates from an interpolation of momentum and gradient."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.arguments import check_range
from fitorch.optimizers.optimizer import Optimizer
from fitorch.optimizers.tensor_lists import ForeachOptimizer, StateInitializer, zeros_state

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class TorchLion(ForeachOptimizer):
    """The Lion update as a plain ``torch.optim`` optimizer (state: ``step``, ``momentum``).

    Each step: ``p -= lr * sign(beta_1 * m + (1 - beta_1) * g)``, then
    ``m = beta_2 * m + (1 - beta_2) * g``.
    """

    def __init__(
        self, params: Iterable[Any], lr: float = 0.001, betas: tuple[float, float] = (0.9, 0.99),
        *, foreach: bool | None = None,
    ) -> None:  # fmt: skip
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "foreach": foreach})

    def _state_initializers(self, group: dict) -> dict[str, StateInitializer]:
        return {"momentum": zeros_state}

    def _update(
        self, group: dict, params: list[torch.Tensor], grads: list[torch.Tensor], steps: list[torch.Tensor],
        momentums: list[torch.Tensor],
    ) -> None:  # fmt: skip
        beta_1, beta_2 = group["betas"]
        # Keras' order of operations, so the signs match it bit for bit.
        directions = torch._foreach_mul(momentums, beta_1)
        torch._foreach_add_(directions, grads, alpha=1.0 - beta_1)
        torch._foreach_sign_(directions)
        torch._foreach_add_(params, directions, alpha=-group["lr"])
        torch._foreach_mul_(momentums, beta_2)
        torch._foreach_add_(momentums, grads, alpha=1.0 - beta_2)


class Lion(Optimizer, TorchLion):
    """Lion (EvoLved Sign Momentum): Keras' ``Lion``, as a torch optimizer.

    Every weight moves by exactly ``learning_rate`` per step, in the direction of
    ``sign(beta_1 * m + (1 - beta_1) * g)``; the momentum ``m`` then tracks the
    gradient with rate ``beta_2``. It keeps one state tensor per weight (Adam keeps
    two). Because the step size does not shrink with the gradient, use a learning
    rate 3-10x smaller than AdamW's (and a weight decay 3-10x larger).
    ``weight_decay`` is Keras' decoupled decay. Steps equal Keras' (bit for bit in the tests).

    Args:
        learning_rate: the step size, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        beta_1: interpolation factor of the update direction, in (0, 1]. Defaults to 0.9.
        beta_2: decay rate of the momentum, in [0, 1]. Defaults to 0.99.
        weight_decay: optional decoupled weight decay, >= 0.
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

    Example:
        >>> w = torch.nn.Parameter(torch.tensor([1.0, -1.0]))
        >>> opt = Lion(learning_rate=0.1, params=[w])
        >>> w.grad = torch.tensor([0.5, -0.001]); opt.step()
        >>> [round(x, 4) for x in w.tolist()]
        [0.9, -0.9]
    """

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.99,
        weight_decay: float | None = None,
        **kwargs: Unpack[CommonArguments],
    ) -> None:
        if isinstance(beta_1, bool) or not isinstance(beta_1, (int, float)) or not 0 < beta_1 <= 1:
            raise ValueError(
                "Argument `beta_1` of Lion must be in (0, 1]; with beta_1=0 the optimizer degenerates to "
                f"SignSGD. Received: beta_1={beta_1!r}."
            )
        check_range("beta_2", beta_2, 0.0, 1.0)
        super().__init__(
            config={"learning_rate": learning_rate, "beta_1": beta_1, "beta_2": beta_2, "weight_decay": weight_decay},
            torch_kwargs={"betas": (beta_1, beta_2)},
            decoupled_weight_decay=weight_decay,
            **kwargs,
        )
