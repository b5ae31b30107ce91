"""``LayerScale``: multiplies the last axis by a learned per-channel factor (ConvNeXt)."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch

from fitorch.initializers import Constant
from fitorch.layers.layer import Layer
from fitorch.saving.registry import register_serializable


@register_serializable(package="fitorch", name="LayerScale")
class LayerScale(Layer):
    """Scales each channel (the last axis) by a learned factor ``gamma``, initialised to ``init_values``.

    ConvNeXt and vision transformers put it at the end of each residual branch with a
    small ``init_values``, so that every block starts close to the identity.
    ``keras.applications.ConvNeXt*`` defines this layer; fitorch has it so that those
    models import.

    Args:
        init_values: float, the initial value of every factor.
        projection_dim: int, the size of the last axis.

    Call arguments:
        inputs: a tensor whose last axis has ``projection_dim`` entries.

    Input shape:
        ``(batch, ..., projection_dim)``.

    Output shape:
        Same as the input.

    Example:
        >>> import torch
        >>> from fitorch.layers.core.layer_scale import LayerScale
        >>> LayerScale(0.5, projection_dim=3)(torch.ones(2, 3))
        tensor([[0.5000, 0.5000, 0.5000],
                [0.5000, 0.5000, 0.5000]], grad_fn=<MulBackward0>)
    """

    def __init__(self, init_values: float, projection_dim: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(init_values, Real) or isinstance(init_values, bool):
            raise TypeError(
                f"LayerScale {self.name!r}: init_values must be a float; received init_values={init_values!r}."
            )
        if not isinstance(projection_dim, int) or isinstance(projection_dim, bool) or projection_dim < 1:
            raise ValueError(
                f"LayerScale {self.name!r}: projection_dim must be a positive int; received "
                f"projection_dim={projection_dim!r}."
            )
        self.init_values = float(init_values)
        self.projection_dim = projection_dim

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        if not input_shape or input_shape[-1] not in (None, self.projection_dim):
            raise ValueError(
                f"LayerScale {self.name!r}: expected inputs whose last axis has projection_dim="
                f"{self.projection_dim} entries; received shape {tuple(input_shape)}."
            )
        self.gamma = self.add_weight(
            shape=(self.projection_dim,), initializer=Constant(self.init_values), trainable=True, name="gamma"
        )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs * self.gamma  # (..., C) * (C,)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "init_values": self.init_values, "projection_dim": self.projection_dim}
