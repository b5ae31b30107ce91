"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.adam import adam_family_arguments
from fitorch.optimizers.optimizer import Optimizer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
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
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

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
        **kwargs: Unpack[CommonArguments],
    ) -> None:
        config: dict[str, Any] = {"learning_rate": learning_rate}
        torch_kwargs = adam_family_arguments(config, beta_1, beta_2, epsilon, weight_decay=0.0)
        config["weight_decay"] = weight_decay
        super().__init__(config=config, torch_kwargs=torch_kwargs, decoupled_weight_decay=weight_decay, **kwargs)
