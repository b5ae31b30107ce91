"""Lamb: Adam's step, rescaled per weight tensor by a trust ratio."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.adam import adam_family_arguments
from fitorch.optimizers.optimizer import Optimizer
from fitorch.optimizers.tensor_lists import ForeachOptimizer, StateInitializer, zeros_state

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class TorchLamb(ForeachOptimizer):
    """The Lamb update as a plain ``torch.optim`` optimizer (state: ``step``, ``exp_avg``, ``exp_avg_sq``).

    Each step computes Adam's direction ``u = m_hat / (sqrt(v_hat) + eps)`` and moves
    each tensor by ``lr * (||p|| / ||u||) * u`` (the ratio is 1 when either norm is 0).
    """

    def __init__(
        self, params: Iterable[Any], lr: float = 0.001, betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-7, *, foreach: bool | None = None,
    ) -> None:  # fmt: skip
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "foreach": foreach})

    def _state_initializers(self, group: dict) -> dict[str, StateInitializer]:
        return {"exp_avg": zeros_state, "exp_avg_sq": zeros_state}

    def _update(
        self, group: dict, params: list[torch.Tensor], grads: list[torch.Tensor], steps: list[torch.Tensor],
        exp_avgs: list[torch.Tensor], exp_avg_sqs: list[torch.Tensor],
    ) -> None:  # fmt: skip
        beta_1, beta_2 = group["betas"]
        # Keras' m += (g - m) * (1 - beta_1), v += (g**2 - v) * (1 - beta_2): torch's lerp.
        torch._foreach_lerp_(exp_avgs, grads, 1.0 - beta_1)
        torch._foreach_lerp_(exp_avg_sqs, torch._foreach_mul(grads, grads), 1.0 - beta_2)
        counts = [float(step) for step in steps]  # CPU scalars: no device sync
        updates = torch._foreach_div(exp_avg_sqs, [1.0 - beta_2**t for t in counts])
        torch._foreach_sqrt_(updates)
        torch._foreach_add_(updates, group["eps"])
        torch._foreach_div_(updates, [1.0 - beta_1**t for t in counts])
        torch._foreach_div_(updates, exp_avgs)
        torch._foreach_reciprocal_(updates)  # u = m_hat / (sqrt(v_hat) + eps)
        weight_norms = torch._foreach_norm(params)
        update_norms = torch._foreach_norm(updates)
        ratios = [
            torch.where((w > 0) & (u > 0), w / u, torch.ones_like(w))
            for w, u in zip(weight_norms, update_norms, strict=True)
        ]
        torch._foreach_mul_(updates, torch._foreach_mul(ratios, -group["lr"]))
        torch._foreach_add_(params, updates)


class Lamb(Optimizer, TorchLamb):
    """Lamb (layer-wise adaptive large-batch optimization): Keras' ``Lamb``, as a torch optimizer.

    Adam's step for each weight tensor, rescaled by the trust ratio
    ``||w|| / ||step||`` so that every layer moves by the same fraction of its norm:
    made for training with very large batches. ``weight_decay`` is Keras' decoupled
    decay, applied before the step (so the ratio sees the decayed weights). Steps agree
    with Keras' to float32 rounding.

    Args:
        learning_rate: the step size, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        beta_1: decay rate of the first-moment estimate, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the second-moment estimate, in [0, 1). Defaults to 0.999.
        epsilon: small constant added to ``sqrt(v_hat)``, as in Keras. Defaults to 1e-7.
        weight_decay: optional decoupled weight decay, >= 0.
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

    Example:
        >>> w = torch.nn.Parameter(torch.tensor([3.0, 4.0]))
        >>> opt = Lamb(learning_rate=0.1, params=[w])
        >>> w.grad = torch.tensor([1.0, 0.0]); opt.step()
        >>> [round(x, 4) for x in w.tolist()]  # moved by lr * ||w|| = 0.5
        [2.5, 4.0]
    """

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        weight_decay: float | None = None,
        **kwargs: Unpack[CommonArguments],
    ) -> None:
        config: dict[str, Any] = {"learning_rate": learning_rate}
        torch_kwargs = adam_family_arguments(config, beta_1, beta_2, epsilon)
        config["weight_decay"] = weight_decay
        super().__init__(
            config=config, torch_kwargs=torch_kwargs, decoupled_weight_decay=weight_decay, **kwargs
        )  # fmt: skip
