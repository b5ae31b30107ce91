"""Nadam: Adam with Nesterov momentum."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.adam import adam_family_arguments
from fitorch.optimizers.optimizer import Optimizer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule

# Keras' momentum schedule is beta_1 * (1 - 0.5 * 0.96 ** t); torch's NAdam computes
# beta_1 * (1 - 0.5 * 0.96 ** (t * momentum_decay)), so momentum_decay=1 is Keras' rule.
_KERAS_MOMENTUM_DECAY = 1.0


class Nadam(Optimizer, torch.optim.NAdam):
    """Nadam: ``torch.optim.NAdam`` with Keras' arguments, defaults and momentum schedule.

    Defaults are Keras' (``learning_rate=0.001``, ``epsilon=1e-7``). torch's NAdam
    warms its momentum up over thousands of steps (``momentum_decay=0.004``, the
    paper's ``0.96 ** (t / 250)``); Keras uses ``0.96 ** t``, so fitorch passes
    ``momentum_decay=1.0`` and the update then equals Keras' step for step.
    ``weight_decay`` is decoupled, as in Keras (torch's ``decoupled_weight_decay=True``).

    Args:
        learning_rate: the step size, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        beta_1: decay rate of the first-moment estimate, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the second-moment estimate, in [0, 1). Defaults to 0.999.
        epsilon: small constant for numerical stability. Defaults to 1e-7.
        weight_decay: optional decoupled weight decay, >= 0.
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

    Example:
        >>> opt = Nadam(params=[torch.nn.Parameter(torch.ones(2))])
        >>> opt.param_groups[0]["momentum_decay"], opt.param_groups[0]["eps"]
        (1.0, 1e-07)
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
        torch_kwargs = adam_family_arguments(
            config, beta_1, beta_2, epsilon,
            weight_decay=weight_decay or 0.0, momentum_decay=_KERAS_MOMENTUM_DECAY, decoupled_weight_decay=True,
        )  # fmt: skip
        config["weight_decay"] = weight_decay
        super().__init__(config=config, torch_kwargs=torch_kwargs, **kwargs)
