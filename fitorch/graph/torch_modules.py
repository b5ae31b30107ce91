"""Lets a plain ``nn.Module`` be called on symbolic tensors inside a functional model.

``nn.Linear(8, 4)(x)`` with a ``SymbolicTensor`` ``x`` must record a node, as a
fitorch layer does. torch offers no hook that can replace a module's forward (a
global forward hook still runs ``forward`` first, and would slow every module in the
process), so fitorch wraps ``nn.Module.__call__`` once, the first time a symbolic
tensor is created. The wrapper checks its arguments for symbolic tensors; anything
else goes straight to torch's own ``__call__``. Programs that never define a
functional model never get the wrapper, and fitorch layers bypass it.
"""

from __future__ import annotations

import functools
from typing import Any

from torch import nn

from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.utils.tree import flatten

TORCH_MODULE_CALL = nn.Module.__call__
_enabled = False


def contains_symbolic(args: tuple, kwargs: dict[str, Any]) -> bool:
    """True when any (possibly nested) argument is a ``SymbolicTensor``."""
    for value in args:
        if isinstance(value, SymbolicTensor):
            return True
        if isinstance(value, (list, tuple, dict)) and any(isinstance(v, SymbolicTensor) for v in flatten(value)):
            return True
    return bool(kwargs) and any(isinstance(v, SymbolicTensor) for v in flatten(kwargs))


def enable_symbolic_module_calls() -> None:
    """Installs the ``nn.Module.__call__`` wrapper (idempotent)."""
    global _enabled
    if _enabled:
        return
    _enabled = True

    @functools.wraps(TORCH_MODULE_CALL)
    def __call__(self: nn.Module, *args: Any, **kwargs: Any) -> Any:
        if contains_symbolic(args, kwargs):
            from fitorch.graph.call import call_symbolically

            return call_symbolically(self, args, kwargs)
        return TORCH_MODULE_CALL(self, *args, **kwargs)

    nn.Module.__call__ = __call__
