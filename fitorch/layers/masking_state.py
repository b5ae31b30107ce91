"""Keras masks, carried the way Keras' torch backend carries them: on the tensor.

A layer that produces a mask (``Embedding(mask_zero=True)``, ``Masking``, a custom
layer overriding ``compute_mask``) attaches it to its output as ``_keras_mask``.
Each following layer receives it as its ``mask`` call argument when its ``call``
takes one, and passes on ``compute_mask(inputs, mask)``; losses read it from the
predictions. The bookkeeping is on only in call trees that have masks (an input
carrying one, or a mask-producing layer that has run): see
``fitorch.layers.call_context``. Other calls pay a single flag check per layer.
"""

from __future__ import annotations

from typing import Any

import torch


def get_mask(value: Any) -> Any:
    """The mask attached to a tensor, or a list of masks for a list of tensors (``None`` if none).

    Example:
        >>> import torch
        >>> x = torch.zeros(1, 3)
        >>> get_mask(x) is None
        True
        >>> set_mask(x, torch.tensor([[True, False, True]]))
        >>> get_mask(x).tolist()
        [[True, False, True]]
    """
    if isinstance(value, torch.Tensor):
        return getattr(value, "_keras_mask", None)
    if isinstance(value, (list, tuple)):
        masks = [getattr(v, "_keras_mask", None) for v in value]
        return masks if any(m is not None for m in masks) else None
    return None


def set_mask(value: Any, mask: Any) -> None:
    """Attaches ``mask`` (a tensor, or a list matching a list of outputs) to ``value``.

    Example:
        >>> import torch
        >>> outputs = [torch.zeros(1, 2), torch.zeros(1, 2)]
        >>> set_mask(outputs, [None, torch.tensor([[True, False]])])
        >>> [get_mask(o) is None for o in outputs]
        [True, False]
    """
    if isinstance(value, torch.Tensor):
        value._keras_mask = mask  # type: ignore[attr-defined]
    elif isinstance(value, (list, tuple)) and isinstance(mask, (list, tuple)):
        for item, item_mask in zip(value, mask, strict=False):
            if isinstance(item, torch.Tensor) and item_mask is not None:
                item._keras_mask = item_mask  # type: ignore[attr-defined]
