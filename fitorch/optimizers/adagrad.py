"""Adagrad: per-parameter step sizes from the sum of past squared gradients."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from fitorch.optimizers.arguments import check_range
from fitorch.optimizers.optimizer import Optimizer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
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
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

    Example:
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> opt = Adagrad(learning_rate=0.1, params=[w])
        >>> w.grad = torch.tensor([1.0]); opt.step()
        >>> round(w.item(), 4)
        0.9047
    """

    _has_fused_kernel = True

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
        weight_decay: float | None = None,
        **kwargs: Unpack[CommonArguments],
    ) -> None:
        check_range("initial_accumulator_value", initial_accumulator_value, 0.0, None)
        check_range("epsilon", epsilon, 0.0, None)
        super().__init__(
            config={
                "learning_rate": learning_rate,
                "initial_accumulator_value": initial_accumulator_value,
                "epsilon": epsilon,
                "weight_decay": weight_decay,
            },
            torch_kwargs={
                "lr_decay": 0.0,
                "weight_decay": 0.0,
                "initial_accumulator_value": initial_accumulator_value,
                "eps": epsilon,
            },
            decoupled_weight_decay=weight_decay,
            **kwargs,
        )
