"""Ftrl: Follow The Regularized Leader, with L1/L2 regularization in closed form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.optimizer import Optimizer
from fitorch.optimizers.tensor_lists import ForeachOptimizer, StateInitializer, zeros_state

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule

# Keras' checks, in its order: (argument, whether it must be <= 0 instead of >= 0).
_SIGNED_ARGUMENTS = (
    ("initial_accumulator_value", False),
    ("learning_rate_power", True),
    ("l1_regularization_strength", False),
    ("l2_regularization_strength", False),
    ("l2_shrinkage_regularization_strength", False),
)
# Keras' arguments (after ``learning_rate``, in Keras' config order) -> TorchFtrl's keywords.
_TORCH_NAMES = {
    "learning_rate_power": "lr_power",
    "initial_accumulator_value": "initial_accumulator_value",
    "l1_regularization_strength": "l1",
    "l2_regularization_strength": "l2",
    "l2_shrinkage_regularization_strength": "l2_shrinkage",
    "beta": "beta",
}


class TorchFtrl(ForeachOptimizer):
    """The FTRL-Proximal update as a plain ``torch.optim`` optimizer (state: ``step``, ``accumulator``, ``linear``).

    With ``n`` the sum of squared gradients and ``p = -lr_power``, each step adds
    ``g + 2 * l2_shrinkage * w - (n_new**p - n**p) / lr * w`` to ``linear`` and sets
    ``w = (clip(linear, -l1, l1) - linear) / (n_new**p / lr + 2 * l2 + beta / lr)``.
    """

    def __init__(
        self, params: Iterable[Any], lr: float = 0.001, lr_power: float = -0.5, initial_accumulator_value: float = 0.1,
        l1: float = 0.0, l2: float = 0.0, l2_shrinkage: float = 0.0, beta: float = 0.0, *, foreach: bool | None = None,
    ) -> None:  # fmt: skip
        defaults = {
            "lr": lr, "lr_power": lr_power, "initial_accumulator_value": initial_accumulator_value,
            "l1": l1, "l2": l2, "l2_shrinkage": l2_shrinkage, "beta": beta, "foreach": foreach,
        }  # fmt: skip
        super().__init__(params, defaults)

    def _state_initializers(self, group: dict) -> dict[str, StateInitializer]:
        initial = group["initial_accumulator_value"]
        return {
            "accumulator": lambda p: torch.full_like(p, initial, memory_format=torch.preserve_format),
            "linear": zeros_state,
        }

    def _update(
        self, group: dict, params: list[torch.Tensor], grads: list[torch.Tensor], steps: list[torch.Tensor],
        accumulators: list[torch.Tensor], linears: list[torch.Tensor],
    ) -> None:  # fmt: skip
        lr, power = group["lr"], -group["lr_power"]
        new_accumulators = torch._foreach_addcmul(accumulators, grads, grads)
        # linear += g + 2 * l2_shrinkage * w - (n_new**p - n**p) / lr * w
        new_powers = torch._foreach_pow(new_accumulators, power)
        sigma = torch._foreach_sub(new_powers, torch._foreach_pow(accumulators, power))
        torch._foreach_div_(sigma, lr)
        torch._foreach_mul_(sigma, params)
        torch._foreach_add_(linears, grads)
        if group["l2_shrinkage"]:
            torch._foreach_add_(linears, params, alpha=2.0 * group["l2_shrinkage"])
        torch._foreach_sub_(linears, sigma)
        # w = (clip(linear, -l1, l1) - linear) / (n_new**p / lr + 2 * (l2 + beta / (2 * lr)))
        quadratic = torch._foreach_div(new_powers, lr)
        torch._foreach_add_(quadratic, 2.0 * (group["l2"] + group["beta"] / (2.0 * lr)))
        clipped = torch._foreach_clamp_min(linears, -group["l1"])
        torch._foreach_clamp_max_(clipped, group["l1"])
        torch._foreach_sub_(clipped, linears)
        torch._foreach_div_(clipped, quadratic)
        torch._foreach_copy_(params, clipped)
        torch._foreach_copy_(accumulators, new_accumulators)


class Ftrl(Optimizer, TorchFtrl):
    """FTRL-Proximal: Keras' ``Ftrl``, as a torch optimizer.

    Made for large, sparse linear models (click-through prediction): the weights are
    recomputed each step in closed form from the accumulated gradients, and L1
    regularization sets many of them to exactly zero. ``beta`` adds ``beta / lr`` to
    the L2 term (``beta=0`` is the paper's rule); ``l2_shrinkage_regularization_strength``
    adds a magnitude penalty to the gradient. ``weight_decay`` is Keras' decoupled
    decay. Steps agree with Keras' to float32 rounding.

    Args:
        learning_rate: the step size, > 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        learning_rate_power: how the rate shrinks as the squared gradients accumulate,
            <= 0 (0: a fixed rate). Defaults to -0.5.
        initial_accumulator_value: starting value of the accumulators, >= 0. Defaults to 0.1.
        l1_regularization_strength: L1 penalty, >= 0. Defaults to 0.
        l2_regularization_strength: L2 penalty, >= 0. Defaults to 0.
        l2_shrinkage_regularization_strength: L2 penalty on the magnitude, added to the
            gradient, >= 0. Defaults to 0.
        beta: added to the L2 term as ``beta / learning_rate``. Defaults to 0.
        weight_decay: optional decoupled weight decay, >= 0.
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

    Example:
        >>> w = torch.nn.Parameter(torch.tensor([0.5, -0.5]))
        >>> opt = Ftrl(learning_rate=0.1, l1_regularization_strength=0.05, params=[w])
        >>> w.grad = torch.tensor([0.04, -0.2]); opt.step()
        >>> [round(x, 4) for x in w.tolist()]  # L1 zeroes the weight with the small gradient
        [0.0, -0.0106]
    """

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        l2_shrinkage_regularization_strength: float = 0.0,
        beta: float = 0.0,
        weight_decay: float | None = None,
        **kwargs: Unpack[CommonArguments],
    ) -> None:
        values = locals()
        for name, non_positive in _SIGNED_ARGUMENTS:
            value = values[name]
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not (value <= 0 if non_positive else value >= 0)
            ):
                expected = "negative or zero" if non_positive else "positive or zero"
                raise ValueError(f"Argument `{name}` of Ftrl needs to be {expected}. Received: {name}={value!r}.")
        if isinstance(beta, bool) or not isinstance(beta, (int, float)):
            raise ValueError(f"Argument `beta` of Ftrl must be a float; received beta={beta!r}.")
        own = {name: values[name] for name in _TORCH_NAMES}
        super().__init__(
            config={"learning_rate": learning_rate, **own, "weight_decay": weight_decay},
            torch_kwargs={_TORCH_NAMES[name]: value for name, value in own.items()},
            decoupled_weight_decay=weight_decay,
            **kwargs,
        )
