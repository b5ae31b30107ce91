"""Device policy (``fitorch.devices``; ``fitorch.device(...)`` is the scope function): pick the best device once, let users pin work to a device.

* ``best_device()`` is CUDA, then MPS, then CPU, decided once per process.
* ``device(spec)`` is a context manager accepting TensorFlow's spelling
  (``'/cpu:0'``, ``'/gpu:1'``), torch's (``'cpu'``, ``'cuda:1'``, ``'mps'``),
  ``'gpu'`` and ``torch.device``. Layers created inside it are pinned there and
  tensors created inside it are allocated there (it also enters ``torch.device``).
* ``move(tree, device)`` moves every tensor in a nested structure.

Example:
    >>> import fitorch, torch
    >>> with fitorch.device('/cpu:0'):
    ...     t = torch.zeros(2)
    ...     fitorch.current_device()
    device(type='cpu')
    >>> t.device
    device(type='cpu')
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from collections.abc import Iterator
from typing import Any

import torch

from fitorch.utils.tree import map_structure

_scope: contextvars.ContextVar[torch.device | None] = contextvars.ContextVar("fitorch_device", default=None)
_TF_SPEC = re.compile(r"^/?(?:device:)?(cpu|gpu|cuda|mps|meta)(?::(\d+))?$", re.IGNORECASE)


@functools.cache
def best_device() -> torch.device:
    """Returns the best available device: CUDA, then MPS, then CPU (cached per process).

    Under ``torchrun`` each process gets its own GPU, ``cuda:LOCAL_RANK``.
    """
    from fitorch.distributed.runtime import local_device

    if local_device() is not None:
        torch.cuda.set_device(local_device())
        return local_device()
    if torch.cuda.is_available():
        return torch.device("cuda", torch.cuda.current_device())
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def parse_device(spec: str | torch.device) -> torch.device:
    """Turns any accepted spelling into a ``torch.device``.

    ``'gpu'`` means CUDA when it is available and MPS otherwise.

    Raises:
        TypeError: if ``spec`` is neither a string nor a ``torch.device``.
        ValueError: if the string is not a device spelling fitorch knows.
    """
    if isinstance(spec, torch.device):
        return spec
    if not isinstance(spec, str):
        raise TypeError(f"device: expected a string such as '/cpu:0' or a torch.device; received {spec!r}.")
    match = _TF_SPEC.match(spec.strip())
    if not match:
        raise ValueError(
            f"device: unknown device {spec!r}. Use '/cpu:0', '/gpu:0', 'cpu', 'gpu', 'cuda:1', 'mps' "
            "or a torch.device."
        )
    kind, index = match.group(1).lower(), match.group(2)
    if kind == "gpu":
        kind = "cuda" if torch.cuda.is_available() or not _mps_available() else "mps"
    if kind in ("cpu", "meta"):  # meta: shapes without data, for tests and dry runs
        return torch.device(kind)
    return torch.device(kind, int(index)) if index is not None else torch.device(kind)


def _mps_available() -> bool:
    return getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()


def scoped_device() -> torch.device | None:
    """Returns the device of the innermost ``device(...)`` scope, or ``None`` outside any scope."""
    return _scope.get()


def current_device() -> torch.device:
    """Returns the device work runs on now: the innermost scope's, else ``best_device()``."""
    return _scope.get() or best_device()


@contextlib.contextmanager
def device(spec: str | torch.device) -> Iterator[torch.device]:
    """Pins layers created, and computations run, inside the block to ``spec``.

    Args:
        spec: ``'/cpu:0'``, ``'/gpu:0'``, ``'cpu'``, ``'gpu'``, ``'cuda:1'``, ``'mps'``
            or a ``torch.device``.

    Example:
        >>> import fitorch
        >>> with fitorch.device('cpu'):
        ...     layer = fitorch.layers.Dense(3)
        >>> layer.pinned_device
        device(type='cpu')
    """
    target = parse_device(spec)
    token = _scope.set(target)
    try:
        with torch.device(target):
            yield target
    finally:
        _scope.reset(token)


def move(tree: Any, target: torch.device | str, non_blocking: bool = False) -> Any:
    """Moves every tensor in a nested structure to ``target``; other leaves are kept."""
    target = parse_device(target)

    def _move(value: Any) -> Any:
        if isinstance(value, torch.Tensor) and value.device != target:
            return value.to(target, non_blocking=non_blocking)
        return value

    return map_structure(_move, tree)
