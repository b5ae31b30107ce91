"""``RMSNormalization``: scale each example by the inverse of its root mean square, as Keras does."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.layer import Layer


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
        if isinstance(axis, (list, tuple)) and axis and all(type(a) is int for a in axis):
            axis = sorted(axis)
        elif type(axis) is not int:
            raise TypeError(
                f"RMSNormalization {self.name!r}: axis must be an int or a non-empty list of ints; "
                f"received axis={axis!r}."
            )
        if not isinstance(epsilon, Real) or isinstance(epsilon, bool) or not epsilon >= 0:
            raise ValueError(
                f"RMSNormalization {self.name!r}: epsilon must be a non-negative float; received epsilon={epsilon!r}."
            )
        self.axis = axis
        self.epsilon = float(epsilon)

    def _axes(self, input_shape: Sequence[int | None]) -> list[int]:
        """The normalised axes, non-negative and sorted."""
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for axis in axes:
            if not -rank <= axis < rank:
                raise ValueError(
                    f"RMSNormalization {self.name!r}: axis {axis} is out of bounds for inputs of rank {rank} "
                    f"(received shape {tuple(input_shape)}); received axis={self.axis}."
                )
        normalized = sorted({a % rank for a in axes})
        if len(normalized) != len(axes):
            raise ValueError(f"RMSNormalization {self.name!r}: axis={self.axis} repeats an axis.")
        return normalized

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        axes = self._axes(input_shape)
        shape = tuple(input_shape[a] for a in axes)
        if any(d is None for d in shape):
            raise ValueError(
                f"RMSNormalization {self.name!r}: the normalised axes {axes} must have known sizes; "
                f"received shape {tuple(input_shape)}."
            )
        self.add_weight("weight", shape, "ones")
        rank = len(input_shape)
        self._reduce_axes = tuple(axes)
        self._trailing = axes == list(range(rank - len(axes), rank))
        # the scale broadcasts against the input: its sizes on the normalised axes, 1 elsewhere.
        self._broadcast_shape = tuple(input_shape[a] if a in axes else 1 for a in range(rank))
        self._normalized_shape = shape

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
