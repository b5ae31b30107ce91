"""``RMSNormalization``: scale each example by the inverse of its root mean square, as Keras does."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.normalization.axes import BaseAxesNormalization, axis_argument


class RMSNormalization(BaseAxesNormalization):
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

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        self.add_weight("weight", self._build_layout(input_shape), "ones")

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = inputs.float() if inputs.dtype in (torch.float16, torch.bfloat16) else inputs
        weight = self.weight.to(x.dtype)
        if self._trailing:
            outputs = F.rms_norm(x, self._normalized_shape, weight, self.epsilon)
        else:
            inverse_rms = torch.rsqrt(x.square().mean(dim=self._reduce_axes, keepdim=True) + self.epsilon)
            outputs = x * inverse_rms * weight.reshape(self._broadcast_shape)
        return outputs.to(self.compute_output_dtype(inputs.dtype))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
