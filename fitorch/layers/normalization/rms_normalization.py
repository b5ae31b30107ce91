"""``RMSNormalization``: scale each example by the inverse of its root mean square, as Keras does."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.layer import Layer
from fitorch.layers.normalization.axes import axes_layout, axis_argument, normalized_axes


class RMSNormalization(Layer):
    """Divides each example by its root mean square over ``axis``, then scales it.

    Use it where ``LayerNormalization`` would go in a transformer (LLaMA, Gemma, T5 style
    blocks): it skips the mean subtraction and the bias, so it is cheaper, and it is
    what those models were trained with. Computed as
    ``x * rsqrt(mean(x ** 2, axis) + epsilon) * scale`` (Zhang & Sennrich, 2019), in at
    least float32 (half-precision inputs are upcast and the result cast back). With
    trailing axes it runs ``F.rms_norm``, so with ``axis=-1`` the weight loads into
    ``nn.RMSNorm``.

    Args:
        axis: int or list of ints, the axes to normalise over (default ``-1``).
        epsilon: small float added to the mean square (default ``1e-6``).

    Call arguments:
        inputs: a floating tensor.

    Input shape:
        Any; the normalised axes must have known sizes.

    Output shape:
        Same as the input.

    Weights:
        ``weight`` with the sizes of the normalised axes, initialised to ones (Keras'
        ``scale``, same layout).

    Example:
        >>> import torch
        >>> from fitorch.layers.normalization import RMSNormalization
        >>> y = RMSNormalization()(torch.tensor([[3.0, -4.0]]))
        >>> [round(v, 4) for v in y[0].tolist()]
        [0.8485, -1.1314]
    """

    def __init__(self, axis: int | Sequence[int] = -1, epsilon: float = 1e-6, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        axis = axis_argument(self, axis)
        axis = sorted(axis) if isinstance(axis, list) else axis
        if not isinstance(epsilon, Real) or isinstance(epsilon, bool) or not epsilon >= 0:
            raise ValueError(
                f"RMSNormalization {self.name!r}: epsilon must be a non-negative float; received epsilon={epsilon!r}."
            )
        self.axis = axis
        self.epsilon = float(epsilon)

    def _axes(self, input_shape: Sequence[int | None], known_sizes: bool = False) -> list[int]:
        """The normalised axes, non-negative and sorted."""
        return normalized_axes(self, self.axis, input_shape, known_sizes)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        axes = self._axes(input_shape, known_sizes=True)
        shape = tuple(input_shape[a] for a in axes)
        self.add_weight("weight", shape, "ones")
        layout = axes_layout(axes, input_shape)
        self._reduce_axes, self._trailing, self._broadcast_shape, self._normalized_shape = layout

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = inputs.float() if inputs.dtype in (torch.float16, torch.bfloat16) else inputs
        weight = self.weight.to(x.dtype)
        if self._trailing:
            outputs = F.rms_norm(x, self._normalized_shape, weight, self.epsilon)
        else:
            inverse_rms = torch.rsqrt(x.square().mean(dim=self._reduce_axes, keepdim=True) + self.epsilon)
            outputs = x * inverse_rms * weight.reshape(self._broadcast_shape)
        return outputs.to(self.compute_output_dtype(inputs.dtype))

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        self._axes(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
