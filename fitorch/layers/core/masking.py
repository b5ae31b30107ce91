"""``Masking``: marks the timesteps whose features all equal ``mask_value`` as padding."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch

from fitorch.layers.layer import Layer


class Masking(Layer):
    """Masks the timesteps whose every feature equals ``mask_value``.

    Use it first on padded float sequences (``(batch, timesteps, features)``) so the
    layers after it skip the padding: the output carries the Keras mask
    ``any(inputs != mask_value, axis=-1)``, which mask-aware layers (pooling,
    attention, losses) read. As in Keras, the masked timesteps of the output are
    also set to 0.

    Args:
        mask_value: the padding value (default ``0.0``). A timestep is masked when
            all its features equal it.

    Call arguments:
        inputs: a tensor of rank >= 2; the last axis holds the features.

    Input shape:
        ``(batch, ..., features)``, typically ``(batch, timesteps, features)``.

    Output shape:
        Same as the input. The mask has the input's shape without the last axis.

    Example:
        >>> import torch
        >>> from fitorch.layers.core import Masking
        >>> x = torch.tensor([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]])
        >>> out = Masking()(x)
        >>> out._keras_mask.tolist()
        [[True, False, True]]
        >>> Masking(mask_value=1.0)(x).tolist()  # no timestep is all ones
        [[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]]
    """

    supports_masking = True
    _produces_masks = True  # its calls switch mask tracking on for their call tree

    def __init__(self, mask_value: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(mask_value, Real) or isinstance(mask_value, bool):
            raise TypeError(
                f"Masking {self.name!r}: mask_value must be a number (the padding value); "
                f"received mask_value={mask_value!r}."
            )
        self.mask_value = mask_value

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        keep = torch.ne(inputs, self.mask_value).any(dim=-1, keepdim=True)  # (..., T, C) -> (..., T, 1)
        return torch.where(keep, inputs, 0.0)

    def compute_mask(self, inputs: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """Returns ``any(inputs != mask_value, axis=-1)``: ``True`` for the timesteps to keep."""
        return torch.ne(inputs, self.mask_value).any(dim=-1)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mask_value": self.mask_value}
