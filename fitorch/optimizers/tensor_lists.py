"""The ``step`` of fitorch's own torch optimizers, on device/dtype-grouped tensor lists.

Lion, Lamb and Ftrl have no ``torch.optim`` class, so fitorch writes their update
with torch's ``_foreach`` ops, as torch's own optimizers do: one kernel launch per
op for all the parameters of a device and dtype. ``foreach=False`` runs the same
code one parameter at a time. :class:`ForeachOptimizer` holds the ``step`` they
share; each one writes only its state and its update.

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

#: Creates one state tensor for a parameter.
StateInitializer = Callable[[torch.Tensor], torch.Tensor]

#: The step counter every state keeps: a float32 scalar on the CPU, as in torch's optimizers.
STEP_KEY = "step"


def tensor_lists(
    optimizer: torch.optim.Optimizer,
    group: dict,
    state_initializers: dict[str, StateInitializer],
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


def zeros_state(param: torch.Tensor) -> torch.Tensor:
    """A zero state tensor shaped and laid out like ``param``."""
    return torch.zeros_like(param, memory_format=torch.preserve_format)


class ForeachOptimizer(torch.optim.Optimizer):
    """A ``torch.optim`` optimizer whose ``step`` runs :meth:`_update` on :func:`tensor_lists`' lists.

    Subclasses give the state they keep per parameter (:meth:`_state_initializers`)
    and the update of one set of lists (:meth:`_update`); ``step`` handles the
    closure, creates the state, and counts the steps.
    """

    def _state_initializers(self, group: dict) -> dict[str, StateInitializer]:
        """The state tensors kept per parameter of ``group``, by key, besides ``step``."""
        raise NotImplementedError

    def _update(
        self, group: dict, params: list[torch.Tensor], grads: list[torch.Tensor], steps: list[torch.Tensor],
        *states: list[torch.Tensor],
    ) -> None:  # fmt: skip
        """Updates ``params`` and ``states`` in place (``steps`` already count this step)."""
        raise NotImplementedError

    @torch.no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:
        """Performs one update; ``closure`` re-evaluates the loss, as in torch."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for params, grads, steps, *states in tensor_lists(self, group, self._state_initializers(group)):
                torch._foreach_add_(steps, 1.0)
                self._update(group, params, grads, steps, *states)
        return loss
