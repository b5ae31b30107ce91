"""The tensors ``add_weight`` returns: an ``nn.Parameter`` (or buffer) with Keras' ``Variable`` methods.

Keras code updates weights with ``w.assign(...)``, ``w.assign_add(...)`` and reads
them with ``w.numpy()`` or ``w.value``. ``Variable`` is a small subclass of
``nn.Parameter`` that adds those methods and nothing else, so optimizers,
``state_dict()``, ``torch.compile`` and DDP see an ordinary parameter (torch's own
classes are not touched). ``BufferVariable`` is its frozen form for non-trainable
weights, which fitorch registers as buffers.

Example:
    >>> import torch
    >>> from fitorch.layers.variable import Variable
    >>> w = Variable(torch.zeros(3))
    >>> w.assign_add(torch.ones(3)).numpy()
    array([1., 1., 1.], dtype=float32)
    >>> isinstance(w, torch.nn.Parameter)
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn


class VariableMethods:
    """Keras ``Variable``'s update and read methods, for ``torch.Tensor`` subclasses."""

    def _as_update(self: Any, value: Any, method: str) -> torch.Tensor:
        update = torch.as_tensor(np.asarray(value) if not isinstance(value, torch.Tensor) else value)
        if tuple(update.shape) != tuple(self.shape):
            raise ValueError(
                f"Variable.{method}: the value must have the variable's shape {tuple(self.shape)}; received shape "
                f"{tuple(update.shape)}."
            )
        return update.to(device=self.device, dtype=self.dtype)

    def assign(self: Any, value: Any) -> Any:
        """Sets the value in place (no gradient is recorded); returns the variable."""
        with torch.no_grad():
            self.copy_(self._as_update(value, "assign"))
        return self

    def assign_add(self: Any, delta: Any) -> Any:
        """Adds ``delta`` in place; returns the variable."""
        with torch.no_grad():
            self.add_(self._as_update(delta, "assign_add"))
        return self

    def assign_sub(self: Any, delta: Any) -> Any:
        """Subtracts ``delta`` in place; returns the variable."""
        with torch.no_grad():
            self.sub_(self._as_update(delta, "assign_sub"))
        return self

    def numpy(self: Any) -> np.ndarray:
        """The value as a NumPy array (detached, on the CPU; bfloat16 widened to float32)."""
        value = self.detach()
        if value.dtype == torch.bfloat16:
            value = value.float()
        return value.cpu().numpy()

    @property
    def value(self: Any) -> torch.Tensor:
        """The tensor itself, as Keras' torch backend returns it."""
        return self


class Variable(VariableMethods, nn.Parameter):
    """A trainable weight: an ``nn.Parameter`` with ``assign``/``assign_add``/``assign_sub``/``numpy``."""

    def __repr__(self) -> str:
        return (
            f"Parameter containing:\n{torch.Tensor._make_subclass(torch.Tensor, self.detach(), self.requires_grad)!r}"
        )


class BufferVariable(Variable):
    """A non-trainable weight, registered as a buffer: a ``Variable`` that never requires grad.

    It is a ``Parameter`` subclass (as torch's own frozen parameters are) rather than a
    plain tensor subclass, because ``torch.compile`` treats parameters specially and
    traces arbitrary tensor subclasses as new tensor types.
    """

    def __new__(cls, data: torch.Tensor | None = None, requires_grad: bool = False) -> BufferVariable:
        return super().__new__(cls, data, requires_grad=False)

    def __repr__(self) -> str:
        return repr(self.detach())
