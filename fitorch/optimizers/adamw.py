"""AdamW: Adam with decoupled weight decay."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.adam import adam_family_arguments
from fitorch.optimizers.optimizer import Optimizer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
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
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

    Example:
        >>> opt = AdamW(learning_rate=0.01, weight_decay=0.1)
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> _ = opt.build([w])
        >>> w.grad = torch.tensor([0.0]); opt.step()
        >>> round(w.item(), 4)
        0.999
    """

    _has_fused_kernel = True

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        **kwargs: Unpack[CommonArguments],
    ) -> None:
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float >= 0 for AdamW; received weight_decay=None.")
        config: dict[str, Any] = {"learning_rate": learning_rate, "weight_decay": weight_decay}
        torch_kwargs = adam_family_arguments(
            config, beta_1, beta_2, epsilon, weight_decay=weight_decay, amsgrad=bool(amsgrad)
        )
        config["amsgrad"] = bool(amsgrad)
        super().__init__(config=config, torch_kwargs=torch_kwargs, **kwargs)
