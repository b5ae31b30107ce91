"""Adafactor: Adam-like steps with a factored (row x column) second-moment estimate."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from fitorch.optimizers.arguments import check_range
from fitorch.optimizers.optimizer import Optimizer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class Adafactor(Optimizer, torch.optim.Adafactor):
    """Adafactor: ``torch.optim.Adafactor`` with Keras' arguments and defaults.

    For a weight with 2 or more dimensions it keeps only the row and column means of
    the squared gradients (over the last two dimensions), so its memory grows with
    ``rows + columns`` rather than ``rows * columns``. The step size is relative:
    ``min(learning_rate, 1 / sqrt(t)) * max(epsilon_2, rms(w))``, and each update is
    clipped to an RMS of at most ``clip_threshold``.

    torch's update is Keras' (``beta_2_decay`` is torch's ``beta2_decay``,
    ``clip_threshold`` its ``d``); steps agree to float32 rounding. Two fine points:
    Keras adds ``epsilon_1`` to the squared gradients, while torch floors the variance
    estimate at ``eps1 ** 2`` (and the mean row variance at ``eps1``), so fitorch passes
    torch ``eps=(sqrt(epsilon_1), epsilon_2)``: an all-zero gradient row then gives a
    zero update, as in Keras (not 0/0), and results differ only for gradients with an
    RMS below ~3e-8. And ``relative_step`` is kept for Keras' config only: Keras' step
    is ``min(learning_rate, 1 / sqrt(t))`` whether it is set or not, and so is this one.
    ``weight_decay`` is Keras' decoupled decay, applied before the step (so the
    relative step size sees the decayed weights, as in Keras).

    Args:
        learning_rate: the largest step factor, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        beta_2_decay: <= 0; the second moment's decay rate at step ``t`` is
            ``1 - t ** beta_2_decay``. Defaults to -0.8.
        epsilon_1: regularizes the squared gradients, >= 0. Defaults to 1e-30.
        epsilon_2: the smallest weight RMS the step size is scaled by, >= 0. Defaults to 1e-3.
        clip_threshold: the largest RMS of an update, >= 1 (torch's bound; Keras also
            takes smaller values). Defaults to 1.0.
        relative_step: Keras' flag; see above. Defaults to ``True``.
        weight_decay: optional decoupled weight decay, >= 0.
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

    Example:
        >>> w = torch.nn.Parameter(torch.ones(4, 3))
        >>> opt = Adafactor(learning_rate=0.1, params=[w])
        >>> w.grad = torch.full((4, 3), 2.0); opt.step()
        >>> round(w[0, 0].item(), 4), sorted(opt.state[w])  # the step is 0.1 * rms(w)
        (0.9, ['col_var', 'row_var', 'step'])
    """

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        beta_2_decay: float = -0.8,
        epsilon_1: float = 1e-30,
        epsilon_2: float = 1e-3,
        clip_threshold: float = 1.0,
        relative_step: bool = True,
        weight_decay: float | None = None,
        **kwargs: Unpack[CommonArguments],
    ) -> None:
        if isinstance(beta_2_decay, bool) or not isinstance(beta_2_decay, (int, float)) or not beta_2_decay <= 0:
            raise ValueError(
                f"Argument `beta_2_decay` of Adafactor must be <= 0; received beta_2_decay={beta_2_decay!r}."
            )
        check_range("epsilon_1", epsilon_1, 0.0, None)
        check_range("epsilon_2", epsilon_2, 0.0, None)
        check_range("clip_threshold", clip_threshold, 1.0, None)  # torch's bound; Keras takes any value
        if not isinstance(relative_step, bool):
            raise TypeError(
                f"Argument `relative_step` of Adafactor must be a bool; received relative_step={relative_step!r}."
            )
        config = {
            "learning_rate": learning_rate,
            "beta_2_decay": beta_2_decay,
            "epsilon_1": epsilon_1,
            "epsilon_2": epsilon_2,
            "clip_threshold": clip_threshold,
            "relative_step": relative_step,
            "weight_decay": weight_decay,
        }
        super().__init__(
            config=config,
            # torch floors the variance at eps1**2 where Keras adds epsilon_1: see the class docstring.
            torch_kwargs={"beta2_decay": beta_2_decay, "eps": (math.sqrt(epsilon_1), epsilon_2), "d": clip_threshold},
            decoupled_weight_decay=weight_decay,
            **kwargs,
        )
