"""``LayerNormalization``: normalise each example over its feature axes, as Keras does."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.normalization.axes import (
    BaseAxesNormalization,
    affine_config,
    axis_argument,
    set_affine_arguments,
)

_RMS_SCALING_WARNING = (
    "LayerNormalization: rms_scaling=True is deprecated in Keras: it scales the inputs by their variance "
    "(x / sqrt(var(x) + epsilon)), not by their root mean square. It is kept for Keras parity."
)


class LayerNormalization(BaseAxesNormalization):
    """Normalises each example over ``axis`` to zero mean and unit variance, then scales and shifts.

    Use it in transformers and recurrent networks, where statistics over the batch
    (``BatchNormalization``) are unreliable: each example is normalised on its own,
    identically in training and inference. Normalising over the trailing axes runs
    ``F.layer_norm``, so with ``axis=-1`` the weights load into ``nn.LayerNorm``.

    Args:
        axis: int or list of ints, the axes to normalise over (default ``-1``).
            ``gamma`` and ``beta`` have the sizes of these axes.
        epsilon: positive float added to the variance (default ``1e-3``, Keras';
            ``nn.LayerNorm`` uses ``1e-5``).
        center: whether to add the learned offset ``beta`` (default ``True``).
        scale: whether to multiply by the learned factor ``gamma`` (default ``True``).
        rms_scaling: Keras' deprecated option: ``x / sqrt(var(x) + epsilon) * gamma``
            with no centering and no ``beta`` (default ``False``).
        beta_initializer: default ``'zeros'``.
        gamma_initializer: default ``'ones'``.

    Call arguments:
        inputs: a floating tensor. Half-precision inputs are normalised in float32
            and cast back.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Weights:
        ``weight`` (Keras' ``gamma``) and ``bias`` (``beta``), of the normalised
        axes' sizes: the names of ``nn.LayerNorm``.

    Example:
        >>> import torch
        >>> from fitorch.layers.normalization import LayerNormalization
        >>> layer = LayerNormalization()
        >>> y = layer(3.0 + 2.0 * torch.randn(4, 10, 64))
        >>> y.shape, bool(y.detach().mean(-1).abs().max() < 1e-4)
        (torch.Size([4, 10, 64]), True)
        >>> [name for name, _ in layer.named_parameters()]
        ['weight', 'bias']
    """

    supports_masking = True

    def __init__(
        self,
        axis: int | Sequence[int] = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        rms_scaling: bool = False,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        axis = axis_argument(self, axis)
        set_affine_arguments(self, epsilon, center, scale, beta_initializer, gamma_initializer)
        if rms_scaling:
            warnings.warn(_RMS_SCALING_WARNING, stacklevel=2)
        self.axis = axis
        self.rms_scaling = bool(rms_scaling)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        shape = self._build_layout(input_shape)
        if self.scale or self.rms_scaling:
            self.add_weight("weight", shape, self.gamma_initializer)
        else:
            self.weight = None
        if self.center and not self.rms_scaling:
            self.add_weight("bias", shape, self.beta_initializer)
        else:
            self.bias = None

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = inputs.float() if inputs.dtype in (torch.float16, torch.bfloat16) else inputs
        weight = None if self.weight is None else self.weight.to(x.dtype)
        bias = None if self.bias is None else self.bias.to(x.dtype)
        if self.rms_scaling:
            variance = x.var(dim=self._reduce_axes, keepdim=True, correction=0)
            outputs = x * torch.rsqrt(variance + self.epsilon)
            if weight is not None:
                outputs = outputs * weight.reshape(self._broadcast_shape)
        elif self._trailing:
            outputs = F.layer_norm(x, self._normalized_shape, weight, bias, self.epsilon)
        else:
            # Axes that are not the trailing ones: Keras' formula, x * inv + (beta - mean * inv).
            variance, mean = torch.var_mean(x, dim=self._reduce_axes, keepdim=True, correction=0)
            inv = torch.rsqrt(variance + self.epsilon)
            if weight is not None:
                inv = inv * weight.reshape(self._broadcast_shape)
            shift = -mean * inv
            if bias is not None:
                shift = shift + bias.reshape(self._broadcast_shape)
            outputs = x * inv + shift
        return outputs.to(self.compute_output_dtype(inputs.dtype))

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            **affine_config(self, rms_scaling=self.rms_scaling),
        }
