"""Keras masks, carried the way Keras' torch backend carries them: on the tensor.

A layer that produces a mask (``Embedding(mask_zero=True)``, ``Masking``, a custom
layer overriding ``compute_mask``) attaches it to its output as ``_keras_mask``.
Each following layer receives it as its ``mask`` call argument when its ``call``
takes one, and passes on ``compute_mask(inputs, mask)``; losses read it from the
predictions. The bookkeeping switches on only once a mask-producing layer exists,
so models without masks pay a single flag check per layer call.
"""

from __future__ import annotations

from typing import Any

import torch

_active = False


def enable() -> None:
    """Turns mask propagation on for this process (idempotent)."""
    global _active
    _active = True


def active() -> bool:
    return _active


def get_mask(value: Any) -> Any:
    """The mask attached to a tensor, or a list of masks for a list of tensors (``None`` if none)."""
    if isinstance(value, torch.Tensor):
        return getattr(value, "_keras_mask", None)
    if isinstance(value, (list, tuple)):
        masks = [getattr(v, "_keras_mask", None) for v in value]
        return masks if any(m is not None for m in masks) else None
    return None


def set_mask(value: Any, mask: Any) -> None:
    """Attaches ``mask`` (a tensor, or a list matching a list of outputs) to ``value``."""
    if isinstance(value, torch.Tensor):
        value._keras_mask = mask  # type: ignore[attr-defined]
    elif isinstance(value, (list, tuple)) and isinstance(mask, (list, tuple)):
        for item, item_mask in zip(value, mask, strict=False):
            if isinstance(item, torch.Tensor) and item_mask is not None:
                item._keras_mask = item_mask  # type: ignore[attr-defined]
