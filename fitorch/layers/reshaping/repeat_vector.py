"""``RepeatVector``: repeats each input vector ``n`` times along a new time axis."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]


class RepeatVector(Layer):
    """Repeats a ``(batch, features)`` input ``n`` times into ``(batch, n, features)``.

    Use it to feed a fixed vector to every step of a sequence model, e.g. the encoder
    state into the decoder of a sequence-to-sequence autoencoder.

    Args:
        n: positive int, the number of repetitions.

    Input shape:
        ``(batch, features)``.

    Output shape:
        ``(batch, n, features)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.reshaping import RepeatVector
        >>> RepeatVector(3)(torch.tensor([[1.0, 2.0]])).tolist()
        [[[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]]
    """

    def __init__(self, n: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
            raise ValueError(f"RepeatVector {self.name!r}: n must be a positive int; received n={n!r}.")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # (B, F) -> (B, 1, F) -> (B, n, F); a real copy, as in Keras, so in-place ops downstream are safe
        return inputs.unsqueeze(1).repeat(1, self.n, 1)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "n": self.n}

    def extra_repr(self) -> str:
        return f"name={self.name!r}, n={self.n}"
