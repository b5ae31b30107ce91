"""NumPy interop: tensors out to NumPy and back, for whole nested structures.

``to_numpy`` detaches, moves to the CPU and widens dtypes NumPy lacks (bfloat16
becomes float32). ``to_tensor`` is its inverse and moves to ``device`` when given.

Example:
    >>> import torch, numpy as np
    >>> out = to_numpy({"w": torch.ones(2, requires_grad=True), "n": [torch.tensor(3)]})
    >>> out["w"], out["n"][0]
    (array([1., 1.], dtype=float32), array(3))
    >>> to_tensor(np.arange(3)).tolist()
    [0, 1, 2]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from fitorch.devices import parse_device
from fitorch.utils.tree import map_structure

# NumPy has no bfloat16 (and float8 types), so these widen to float32 on the way out.
_WIDEN_FOR_NUMPY = {torch.bfloat16, *(getattr(torch, n) for n in ("float8_e4m3fn", "float8_e5m2") if hasattr(torch, n))}


def to_numpy(tree: Any) -> Any:
    """Returns ``tree`` with every tensor replaced by a NumPy array.

    Tensors that require grad are detached, tensors on an accelerator are copied to
    the CPU, and dtypes NumPy lacks (bfloat16, float8) become float32. Other leaves
    are returned unchanged.
    """

    def _convert(value: Any) -> Any:
        if isinstance(value, torch.Tensor):
            value = value.detach()
            if value.dtype in _WIDEN_FOR_NUMPY:
                value = value.float()
            return value.cpu().numpy()
        return value

    return map_structure(_convert, tree)


def to_tensor(tree: Any, device: torch.device | str | None = None, dtype: torch.dtype | None = None) -> Any:
    """Returns ``tree`` with every NumPy array, number list or tensor as a torch tensor.

    Args:
        tree: an array, tensor, or nested list/tuple/dict of them.
        device: where to put the tensors; ``None`` keeps tensors where they are and
            puts new ones on the CPU.
        dtype: an optional dtype for every tensor.

    float64 NumPy arrays stay float64, as ``torch.from_numpy`` does; the trainer
    casts inputs to the model's dtype itself.
    """
    target = parse_device(device) if device is not None else None

    def _convert(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            value = torch.from_numpy(np.ascontiguousarray(value))
        elif isinstance(value, (np.generic, int, float, bool)):
            value = torch.as_tensor(value)
        if isinstance(value, torch.Tensor) and (target is not None or dtype is not None):
            value = value.to(device=target, dtype=dtype)
        return value

    return map_structure(_convert, tree)
