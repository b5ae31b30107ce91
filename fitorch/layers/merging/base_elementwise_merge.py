"""``ElementwiseMerge``: the parent of merges that combine inputs elementwise and OR their masks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from fitorch.layers import masking_state
from fitorch.layers.merging.base_merge import Merge

#: The masking rule of ``Maximum`` and ``Minimum`` (``merge_skipping_masked``), for their docstrings.
SKIPS_MASKED = """\
Shapes must match or broadcast, as described in ``Merge``. With Keras masks,
masked-out entries of an input never win: the other inputs' values are used
there, as in Keras."""


class ElementwiseMerge(Merge):
    """A ``Merge`` whose output mask is the OR of the input masks, as in Keras.

    When every input carries a Keras mask (``(batch, steps)`` for inputs
    ``(batch, steps, features)``), the output is masked where all inputs are; when
    any input has none, the output has none.
    """

    supports_masking = True

    def compute_mask(self, inputs: Any, mask: Any = None) -> torch.Tensor | None:
        if mask is None or not isinstance(mask, (list, tuple)) or any(m is None for m in mask):
            return None
        output_mask = mask[0]
        for m in mask[1:]:
            output_mask = output_mask | m
        return output_mask


def expanded_mask(x: torch.Tensor) -> torch.Tensor | None:
    """The Keras mask of ``x``, ``(batch, steps)``, broadcast to ``x``'s shape; ``None`` without a mask."""
    mask = masking_state.get_mask(x)
    if mask is None:
        return None
    return mask.unsqueeze(-1).expand(x.shape)


def merge_skipping_masked(
    op: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], inputs: list[torch.Tensor]
) -> torch.Tensor:
    """Keras' merge for ops without an identity element (maximum, minimum).

    Where an input is masked out, the other operand's value is used instead, so
    masked positions never win.
    """
    output = inputs[0]
    output_mask = expanded_mask(output)
    for x in inputs[1:]:
        mask = expanded_mask(x)
        if mask is not None:
            x = torch.where(mask, x, output)
        if output_mask is not None:
            output = torch.where(output_mask, output, x)
        output_mask = output_mask | mask if mask is not None and output_mask is not None else None
        output = op(output, x)
    return output
