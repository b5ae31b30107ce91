"""``GroupNormalization``: normalise groups of channels per example, as Keras does."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer
from fitorch.layers.normalization.axes import affine_config, set_affine_arguments


class GroupNormalization(Layer):
    """Splits the channels into ``groups`` and normalises each group of each example.

    Use it instead of ``BatchNormalization`` when batches are small (detection,
    segmentation, diffusion models): statistics come from each example's group of
    channels and all its other axes, so they do not depend on the batch.
    ``groups=1`` normalises all channels together (like ``LayerNormalization`` over
    every axis); ``groups=-1`` (one channel per group) is instance normalization.
    The work runs in ``F.group_norm`` on a permuted view of the input.

    Args:
        groups: int, the number of groups (default ``32``); the channel count must
            be a multiple of it. ``-1`` means one group per channel.
        axis: int, the channel axis (default ``-1``, channels last; ``1`` for
            channels first).
        epsilon: positive float added to the variance (default ``1e-3``).
        center: whether to add the learned offset ``beta`` (default ``True``).
        scale: whether to multiply by the learned factor ``gamma`` (default ``True``).
        beta_initializer: default ``'zeros'``.
        gamma_initializer: default ``'ones'``.

    Call arguments:
        inputs: a floating tensor of rank >= 2. Half-precision inputs are
            normalised in float32 and cast back.

    Input shape:
        Any rank >= 2, e.g. ``(batch, height, width, channels)``.

    Output shape:
        Same as the input.

    Weights:
        ``weight`` (Keras' ``gamma``) and ``bias`` (``beta``), of shape
        ``(channels,)``: the names of ``nn.GroupNorm``.

    Example:
        >>> import torch
        >>> from fitorch.layers.normalization import GroupNormalization
        >>> layer = GroupNormalization(groups=4)
        >>> y = layer(torch.randn(2, 8, 8, 16))
        >>> y.shape
        torch.Size([2, 8, 8, 16])
        >>> group = y.detach()[0, :, :, :4]  # channels 0-3 are group 0 of example 0
        >>> bool(group.mean().abs() < 1e-4)
        True
    """

    supports_masking = True

    def __init__(
        self,
        groups: int = 32,
        axis: int = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if type(groups) is not int or (groups <= 0 and groups != -1):
            raise ValueError(
                f"GroupNormalization {self.name!r}: groups must be a positive int (or -1 for instance "
                f"normalization); received groups={groups!r}."
            )
        if type(axis) is not int:
            raise TypeError(f"GroupNormalization {self.name!r}: axis must be an int; received axis={axis!r}.")
        set_affine_arguments(self, epsilon, center, scale, beta_initializer, gamma_initializer)
        self.groups = groups
        self.axis = axis
        self.input_spec = InputSpec(min_ndim=2)

    def _channel_axis(self, input_shape: tuple[int | None, ...]) -> int:
        rank = len(input_shape)
        if not -rank <= self.axis < rank or self.axis % rank == 0:
            raise ValueError(
                f"GroupNormalization {self.name!r}: axis={self.axis} is not a channel axis of inputs of rank "
                f"{rank} (received shape {tuple(input_shape)}); pass an axis in [1, {rank}) or a negative one "
                "other than the batch axis."
            )
        return self.axis % rank

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        axis = self._channel_axis(input_shape)
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(
                f"GroupNormalization {self.name!r}: the channel axis {self.axis} must have a known size; "
                f"received shape {tuple(input_shape)}."
            )
        groups = channels if self.groups == -1 else self.groups
        if channels % groups != 0:
            raise ValueError(
                f"GroupNormalization {self.name!r}: the number of channels ({channels}) must be a multiple of "
                f"groups ({groups}); received shape {tuple(input_shape)}. Pick groups among the divisors of "
                f"{channels}."
            )
        self._groups = groups
        if self.scale:
            self.add_weight("weight", (channels,), self.gamma_initializer)
        else:
            self.weight = None
        if self.center:
            self.add_weight("bias", (channels,), self.beta_initializer)
        else:
            self.bias = None
        rank = len(input_shape)
        # (N, ..., C, ...) -> (N, C, ...), the layout F.group_norm reads; a view (channels_last
        # images become NCHW views in channels_last memory format, which the kernels take directly).
        self._permutation = None if axis == 1 else (0, axis, *(d for d in range(1, rank) if d != axis))
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: channels})

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        x = inputs.float() if inputs.dtype in (torch.float16, torch.bfloat16) else inputs
        if self._permutation is not None:
            x = x.permute(self._permutation)
            if x.ndim >= 4 and not x.requires_grad and torch.is_grad_enabled() and not x.is_contiguous():
                # torch 2.13's CPU group_norm backward segfaults on a channels_last input that needs
                # no gradient (only gamma/beta do), e.g. when this is a model's first layer.
                x = x.contiguous()
        weight = None if self.weight is None else self.weight.to(x.dtype)
        bias = None if self.bias is None else self.bias.to(x.dtype)
        if weight is None and bias is not None:
            # torch 2.13's group_norm backward fails ("tensor does not have a device") for a bias
            # without a weight; add the bias outside the kernel instead.
            outputs = F.group_norm(x, self._groups, None, None, self.epsilon)
            outputs = outputs + bias.reshape(-1, *([1] * (x.ndim - 2)))  # (C,) -> (C, 1, ...)
        else:
            outputs = F.group_norm(x, self._groups, weight, bias, self.epsilon)
        if self._permutation is not None:
            outputs = outputs.permute(_inverse(self._permutation))
        return outputs.to(self.compute_output_dtype(inputs.dtype))

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        self._channel_axis(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            **affine_config(self),
        }


def _inverse(permutation: tuple[int, ...]) -> tuple[int, ...]:
    inverse = [0] * len(permutation)
    for position, axis in enumerate(permutation):
        inverse[axis] = position
    return tuple(inverse)
