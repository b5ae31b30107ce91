"""Mixed precision for the training step: autocast, and a gradient scaler for float16.

``compile(mixed_precision=...)`` picks a policy:

* ``None`` (the default, as in Keras): float32 throughout.
* ``'bf16'``: the forward pass and the loss run under ``torch.autocast`` in bfloat16;
  weights, gradients and the optimizer stay float32. No scaling is needed.
* ``'fp16'``: autocast in float16, plus a ``torch.amp.GradScaler`` so small gradients
  do not underflow. With a fused optimizer the scaler checks for overflow on the
  device, without a host sync.
* ``'auto'``: ``'bf16'`` on a CUDA device that supports it (compute capability 8.0+),
  ``None`` elsewhere. On CPU, bf16 autocast measured slower than float32 for the
  benchmark workloads (see ``benchmarks/RESULTS.md``), so it is not switched on there.
  It is one argument away rather than the default: it changes the numbers a model
  computes (in ``evaluate`` and ``predict`` too), and the GPU benchmark that would
  measure its gain (``benchmarks/gpu.py``) has no results yet.

The trainer resolves the policy for the model's device at each ``fit``/``evaluate``/
``predict`` and keeps it; ``model.precision`` returns it, so a custom ``train_step``
runs its forward pass under ``with self.precision.autocast():`` as the built-in one does.

Example:
    >>> import torch
    >>> policy = PrecisionPolicy.resolve("bf16", torch.device("cpu"))
    >>> with policy.autocast():
    ...     torch.mm(torch.ones(2, 2), torch.ones(2, 2)).dtype
    torch.bfloat16
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import torch

MODES = ("auto", "bf16", "fp16", None)


class PrecisionPolicy:
    """How a step runs its forward pass, backward pass and optimizer step.

    Args:
        mode: ``None``, ``'bf16'`` or ``'fp16'`` (already resolved).
        device: the device the model trains on.
    """

    def __init__(self, mode: str | None, device: torch.device) -> None:
        self.mode = mode
        self.device_type = device.type
        self.dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(mode or "")
        self.scaler = torch.amp.GradScaler(self.device_type) if mode == "fp16" else None

    @classmethod
    def resolve(cls, mode: Any, device: torch.device) -> PrecisionPolicy:
        """Turns a ``compile(mixed_precision=...)`` value into a policy for ``device``.

        Raises:
            ValueError: for a value other than ``'auto'``, ``'bf16'``, ``'fp16'`` or ``None``.
        """
        if mode not in MODES:
            raise ValueError(f"compile: mixed_precision must be one of {MODES}; received {mode!r}.")
        if mode == "auto":
            bf16_gpu = device.type == "cuda" and torch.cuda.is_bf16_supported()
            mode = "bf16" if bf16_gpu and torch.cuda.get_device_capability(device)[0] >= 8 else None
        return cls(mode, device)

    @contextlib.contextmanager
    def autocast(self) -> Iterator[None]:
        """Runs the block under autocast when mixed precision is on."""
        if self.dtype is None:
            yield
            return
        with torch.autocast(device_type=self.device_type, dtype=self.dtype):
            yield

    def backward(self, loss: torch.Tensor) -> None:
        """``loss.backward()``, scaled first under float16."""
        (self.scaler.scale(loss) if self.scaler is not None else loss).backward()

    def step(self, optimizer: torch.optim.Optimizer) -> None:
        """``optimizer.step()``; under float16 the scaler unscales, skips on overflow, and updates."""
        if self.scaler is None:
            optimizer.step()
            return
        self.scaler.step(optimizer)
        self.scaler.update()


FULL_PRECISION = PrecisionPolicy(None, torch.device("cpu"))
"""float32 throughout: the policy of a model no loop has resolved one for (it holds no state)."""
