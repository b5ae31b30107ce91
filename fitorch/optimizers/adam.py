"""Adam: adaptive moment estimation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

from fitorch.optimizers.arguments import check_range
from fitorch.optimizers.optimizer import Optimizer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from fitorch.optimizers.arguments import CommonArguments
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


def adam_family_arguments(
    config: dict[str, Any], beta_1: float, beta_2: float, epsilon: float, **torch_kwargs: Any
) -> dict[str, Any]:
    """Validates the arguments the Adam family shares (naming any bad one), adds them to the Keras
    ``config`` (after its leading entries, in Keras' order), and returns torch's keyword arguments:
    ``betas``, ``eps``, then ``torch_kwargs``."""
    check_range("beta_1", beta_1, 0.0, 1.0, high_inclusive=False)
    check_range("beta_2", beta_2, 0.0, 1.0, high_inclusive=False)
    check_range("epsilon", epsilon, 0.0, None)
    config.update(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)
    return {"betas": (beta_1, beta_2), "eps": epsilon, **torch_kwargs}


class Adam(Optimizer, torch.optim.Adam):
    """Adam: ``torch.optim.Adam`` with Keras' arguments and defaults (``epsilon=1e-7``).

    A good default optimizer. ``weight_decay`` is decoupled, as in Keras (torch's
    ``decoupled_weight_decay=True``, i.e. AdamW's update).

    Semantics differ from Keras in one place: Keras adds ``epsilon`` to
    ``sqrt(v)`` before the bias correction, torch after it, so Keras' epsilon acts
    like torch's ``epsilon / sqrt(1 - beta_2**t)`` (about 32x larger at step 1). Steps
    agree to ~1e-6 relative whenever ``sqrt(v_hat)`` is well above epsilon; they
    differ when gradients are ~1e-6 or smaller.

    Args:
        learning_rate: the step size, >= 0, or a
            :class:`~fitorch.optimizers.schedules.LearningRateSchedule`. Defaults to 0.001.
        beta_1: decay rate of the first-moment estimate, in [0, 1). Defaults to 0.9.
        beta_2: decay rate of the second-moment estimate, in [0, 1). Defaults to 0.999.
        epsilon: small constant for numerical stability. Defaults to 1e-7.
        amsgrad: whether to use the AMSGrad variant. Defaults to ``False``.
        weight_decay: optional decoupled weight decay, >= 0.
        **kwargs: the common arguments of :class:`~fitorch.optimizers.Optimizer`
            (``clipnorm``, ``use_ema``, ``gradient_accumulation_steps``, ``params``, ...).

    Example:
        >>> opt = Adam(learning_rate=0.01)
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> _ = opt.build([w])
        >>> w.grad = torch.tensor([0.5]); opt.step()
        >>> round(w.item(), 4)
        0.99
    """

    _has_fused_kernel = True

    def __init__(
        self,
        learning_rate: float | LearningRateSchedule = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        weight_decay: float | None = None,
        **kwargs: Unpack[CommonArguments],
    ) -> None:
        config: dict[str, Any] = {"learning_rate": learning_rate}
        torch_kwargs = adam_family_arguments(
            config, beta_1, beta_2, epsilon,
            weight_decay=weight_decay or 0.0, amsgrad=bool(amsgrad), decoupled_weight_decay=True,
        )  # fmt: skip
        config.update(amsgrad=bool(amsgrad), weight_decay=weight_decay)
        super().__init__(config=config, torch_kwargs=torch_kwargs, **kwargs)
