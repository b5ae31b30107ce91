"""Per-parameter state and device/dtype-grouped tensor lists for the ``step`` of fitorch's own torch optimizers.

Lion, Lamb and Ftrl have no ``torch.optim`` class, so fitorch writes their ``step``
with torch's ``_foreach`` ops, as torch's own optimizers do: one kernel launch per
op for all the parameters of a device and dtype. ``foreach=False`` runs the same
code one parameter at a time.

Example:
    >>> import torch
    >>> w = torch.nn.Parameter(torch.ones(2)); w.grad = torch.ones(2)
    >>> opt = torch.optim.SGD([w], lr=0.1)
    >>> groups = tensor_lists(opt, opt.param_groups[0], {"momentum": lambda p: torch.zeros_like(p)})
    >>> [len(lists) for lists in groups], float(opt.state[w]["step"])
    ([4], 0.0)
"""

from __future__ import annotations

from collections.abc import Callable

import torch

#: The step counter every state keeps: a float32 scalar on the CPU, as in torch's optimizers.
STEP_KEY = "step"


def tensor_lists(
    optimizer: torch.optim.Optimizer,
    group: dict,
    state_initializers: dict[str, Callable[[torch.Tensor], torch.Tensor]],
) -> list[list[list[torch.Tensor]]]:
    """The group's parameters that have a gradient, as ``[params, grads, steps, *states]`` lists.

    Creates each parameter's state on its first step: ``step`` (0) and one tensor per
    entry of ``state_initializers`` (called with the parameter). Returns one set of
    lists per (device, dtype), or per parameter when ``group["foreach"]`` is ``False``.

    Raises:
        RuntimeError: for sparse gradients, which these optimizers do not support.
    """
    params = [p for p in group["params"] if p.grad is not None]
    for param in params:
        if param.grad.is_sparse:
            raise RuntimeError(f"{type(optimizer).__name__} does not support sparse gradients.")
        state = optimizer.state[param]
        if not state:
            state[STEP_KEY] = torch.tensor(0.0)
            for key, make in state_initializers.items():
                state[key] = make(param)
    if group.get("foreach") is False:
        batches = [[param] for param in params]
    else:
        by_kind: dict[tuple[torch.device, torch.dtype], list[torch.Tensor]] = {}
        for param in params:
            by_kind.setdefault((param.device, param.dtype), []).append(param)
        batches = list(by_kind.values())
    return [
        [
            batch,
            [p.grad.to(p.dtype) for p in batch],
            [optimizer.state[p][STEP_KEY] for p in batch],
            *[[optimizer.state[p][key] for p in batch] for key in state_initializers],
        ]
        for batch in batches
    ]
