"""``CustomScaleLayer``: ``inputs[0] + inputs[1] * scale``, the residual sum of Inception-ResNet."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch

from fitorch.layers.merging.base_merge import Merge
from fitorch.saving.registry import register_serializable


@register_serializable(package="fitorch", name="CustomScaleLayer")
class CustomScaleLayer(Merge):
    """Adds a scaled residual to a shortcut: ``inputs[0] + inputs[1] * scale``.

    ``keras.applications.InceptionResNetV2`` defines this layer for its residual
    blocks; fitorch has it so that those models import. Shapes broadcast as in ``Add``.

    Args:
        scale: float, the factor applied to the residual branch.

    Call arguments:
        inputs: a list ``[shortcut, residual]`` of 2 tensors.

    Input shape:
        Two shapes ``(batch, ...)`` that broadcast together.

    Output shape:
        The broadcast shape.

    Example:
        >>> import torch
        >>> from fitorch.layers.merging.custom_scale_layer import CustomScaleLayer
        >>> CustomScaleLayer(0.5)([torch.ones(1, 2), torch.full((1, 2), 4.0)])
        tensor([[3., 3.]])
    """

    input_count = 2
    expected_inputs = "a list of 2 tensors [shortcut, residual]"

    def __init__(self, scale: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(scale, Real) or isinstance(scale, bool):
            raise TypeError(f"CustomScaleLayer {self.name!r}: scale must be a float; received scale={scale!r}.")
        self.scale = float(scale)

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        if len(inputs) != 2:
            self._wrong_input_count([tuple(x.shape) for x in inputs])
        return inputs[0] + inputs[1] * self.scale

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "scale": self.scale}
