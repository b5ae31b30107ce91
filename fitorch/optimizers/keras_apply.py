"""Keras' ``optimizer.apply(grads, variables)``: one update with gradients given explicitly.

Keras code written for its torch backend computes gradients with ``loss.backward()``
and then calls ``optimizer.apply(grads, model.trainable_weights)`` (or
``apply_gradients(zip(grads, weights))``). A fitorch optimizer is a torch optimizer,
so this sets each variable's ``.grad`` and runs one ``step()``: clipping, gradient
accumulation, EMA and the step counter all apply as in ``fit``. Parameters the
optimizer holds but that are not listed keep their values: their gradients are set
aside for the step and put back after it.

Example:
    >>> import torch
    >>> from fitorch.optimizers import SGD
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> opt = SGD(learning_rate=0.1)
    >>> opt.apply([torch.tensor([2.0])], [w])
    >>> round(w.item(), 4), opt.iterations
    (0.8, 1)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch

from fitorch.optimizers.state_extras import flat_params


def apply(optimizer: Any, grads: Iterable[Any], trainable_variables: Iterable[Any] | None = None) -> None:
    """Applies ``grads`` to ``trainable_variables`` (default: every parameter the optimizer holds).

    An unbuilt optimizer is built for ``trainable_variables`` first, as in Keras. A
    ``None`` gradient leaves its variable unchanged.

    Raises:
        ValueError: if the lists differ in length, a gradient's shape differs from its
            variable's, or a variable is not one the optimizer was built for.

    Example:
        >>> from fitorch.optimizers import SGD
        >>> a, b = torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(2))
        >>> opt = SGD(learning_rate=1.0, params=[a, b])
        >>> apply(opt, [torch.ones(2)], [b])
        >>> a.tolist(), b.tolist()
        ([0.0, 0.0], [-1.0, -1.0])
    """
    name = type(optimizer).__name__
    grads = list(grads)
    if trainable_variables is None:
        if not optimizer.built:
            raise ValueError(
                f"{name}.apply(grads) without trainable_variables needs a built optimizer; pass the variables, "
                "e.g. optimizer.apply(grads, model.trainable_weights)."
            )
        variables = flat_params(optimizer)
    else:
        variables = list(trainable_variables)
        if not optimizer.built:
            optimizer.build(variables)
    if len(grads) != len(variables):
        raise ValueError(
            f"{name}.apply: received {len(grads)} gradients for {len(variables)} variables; pass one gradient "
            "(or None) per variable."
        )
    held = {id(p): p for p in flat_params(optimizer)}
    listed = set()
    for index, (grad, variable) in enumerate(zip(grads, variables, strict=True)):
        if id(variable) not in held:
            raise ValueError(
                f"{name}.apply: variable {index} (shape {tuple(variable.shape)}) is not one this optimizer was "
                "built for; an optimizer updates the weights it was built with (create one per set of weights)."
            )
        if grad is not None and tuple(grad.shape) != tuple(variable.shape):
            raise ValueError(
                f"{name}.apply: gradient {index} has shape {tuple(grad.shape)} but its variable has shape "
                f"{tuple(variable.shape)}."
            )
        listed.add(id(variable))
    # Parameters not listed (or with a None gradient) sit this step out; torch optimizers skip grad=None.
    set_aside = {}
    for key, param in held.items():
        if key not in listed and param.grad is not None:
            set_aside[key] = param.grad
            param.grad = None
    for grad, variable in zip(grads, variables, strict=True):
        if grad is None:
            if variable.grad is not None:
                set_aside[id(variable)] = variable.grad
            variable.grad = None
        elif grad is not variable.grad:
            variable.grad = torch.as_tensor(grad).to(device=variable.device, dtype=variable.dtype)
    try:
        optimizer.step()
    finally:
        for key, grad in set_aside.items():
            held[key].grad = grad
