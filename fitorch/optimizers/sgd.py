"""Stochastic gradient descent, with optional (Nesterov) momentum."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch

from fitorch.optimizers.optimizer import Optimizer, check_range


class SGD(Optimizer, torch.optim.SGD):
    """Gradient descent with momentum: ``torch.optim.SGD`` with Keras' arguments and defaults.

    Keras' and torch's momentum formulations give identical updates at a constant
    learning rate (Keras keeps ``-lr * velocity``, torch ``velocity``); they differ
    only transiently when the learning rate changes mid-training.

    ``weight_decay`` is Keras' decoupled decay (``w -= lr * weight_decay * w`` before
    the update), not torch's L2 term added to the gradient: the two agree without
    momentum, but with momentum torch's L2 decay is amplified by ``1 / (1 - momentum)``.

    Args:
        learning_rate: the step size, >= 0. Defaults to 0.01.
        momentum: in [0, 1]; accelerates along consistent gradient directions.
            Defaults to 0.
        nesterov: whether to use Nesterov momentum (ignored when momentum is 0).
        weight_decay: optional decoupled weight decay, >= 0.
        clipnorm: optional; clips each gradient tensor to this L2 norm.
        clipvalue: optional; clips gradient entries to ``[-clipvalue, clipvalue]``.
        global_clipnorm: optional; clips all gradients together to this global norm.
        params: parameters to build with now; leave out to :meth:`build` later.
        foreach: torch's ``foreach`` switch; ``None`` lets torch choose.
        fused: torch's ``fused`` switch; ``None`` lets torch choose.

    Example:
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> opt = SGD(learning_rate=0.1, momentum=0.9, params=[w])
        >>> for _ in range(2):
        ...     w.grad = torch.tensor([1.0])
        ...     opt.step()
        >>> round(w.item(), 4)
        0.71
    """

    def __init__(
        self,
        learning_rate: float = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        *,
        params: Iterable[Any] | None = None,
        foreach: bool | None = None,
        fused: bool | None = None,
    ) -> None:
        check_range("momentum", momentum, 0.0, 1.0)
        if weight_decay is not None:
            check_range("weight_decay", weight_decay, 0.0, None)
        super().__init__(
            params,
            config={
                "learning_rate": learning_rate,
                "momentum": momentum,
                "nesterov": bool(nesterov),
                "weight_decay": weight_decay,
                "clipnorm": clipnorm,
                "clipvalue": clipvalue,
                "global_clipnorm": global_clipnorm,
                "foreach": foreach,
                "fused": fused,
            },
            torch_kwargs={
                "lr": learning_rate,
                "momentum": momentum,
                # Keras ignores nesterov without momentum; torch would refuse it.
                "nesterov": bool(nesterov) and momentum > 0,
                "weight_decay": 0.0,
                "foreach": foreach,
                "fused": fused,
            },
            decoupled_weight_decay=weight_decay,
        )
