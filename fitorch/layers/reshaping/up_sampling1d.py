"""``UpSampling1D``: repeats each step of a sequence."""

from __future__ import annotations

from typing import Any

from fitorch.layers.reshaping.base_up_sampling import BaseUpSampling, up_sampling_docs
from fitorch.utils.docstrings import fill_doc


@fill_doc(**up_sampling_docs(1))
class UpSampling1D(BaseUpSampling):
    """Upsamples sequences by repeating each step ``size`` times along the time axis (axis 1).

    Use it in sequence decoders and 1-D U-Nets to undo a ``MaxPooling1D``; it has no
    weights (``Conv1DTranspose`` is the learned alternative).

    {sections}

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import UpSampling1D
        >>> UpSampling1D(3)(torch.tensor([[[1.0], [2.0]]])).flatten().tolist()
        [1.0, 1.0, 1.0, 2.0, 2.0, 2.0]
    """

    rank = 1
    takes_data_format = False

    def __init__(self, size: int = 2, **kwargs: Any) -> None:
        super().__init__(size, data_format="channels_last", **kwargs)
