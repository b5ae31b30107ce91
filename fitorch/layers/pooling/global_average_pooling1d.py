"""``GlobalAveragePooling1D``: the mean over the steps of a sequence, optionally masked."""

from __future__ import annotations

import torch

from fitorch.layers.pooling.base_global_pooling import BaseGlobalPooling, global_pooling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**global_pooling_docs(rank=1))
class GlobalAveragePooling1D(BaseGlobalPooling):
    """Averages over the time axis: one value per channel and sequence.

    Use it to turn a sequence of features into a fixed-size vector, e.g. before a
    classifier head. A ``mask`` (as Keras passes for padded sequences) excludes the
    masked steps from the mean.

    {args}

    Call arguments:
        inputs: the sequence tensor.
        mask: optional ``(batch, steps)`` boolean tensor; ``False`` steps are ignored.

    {shapes}

    Example:
        >>> import torch
        >>> from fitorch.layers.pooling import GlobalAveragePooling1D
        >>> x = torch.tensor([[[1.0], [2.0], [6.0]]])
        >>> GlobalAveragePooling1D()(x).tolist()
        [[3.0]]
        >>> GlobalAveragePooling1D()(x, mask=torch.tensor([[True, True, False]])).tolist()
        [[1.5]]
    """

    rank = 1
    reduce = torch.mean

    def call(self, inputs: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        steps_axis = self.spatial_axes[0]
        if mask is None:
            return torch.mean(inputs, dim=steps_axis, keepdim=self.keepdims)
        # (B, T) -> (B, T, 1) for channels_last or (B, 1, T) for channels_first
        mask = mask.bool().unsqueeze(2 if steps_axis == 1 else 1)
        total = torch.where(mask, inputs, 0).sum(dim=steps_axis, keepdim=self.keepdims)
        count = mask.to(inputs.dtype).sum(dim=steps_axis, keepdim=self.keepdims)
        return total / count
