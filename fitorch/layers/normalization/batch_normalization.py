"""``BatchNormalization``: normalise one feature axis with batch statistics, as Keras does."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch
import torch.nn.functional as F

from fitorch import initializers
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer
from fitorch.layers.normalization.axes import affine_config


class BatchNormalization(Layer):
    """Normalises a feature axis to zero mean and unit variance, then scales and shifts it.

    Use it after convolutions or dense layers to stabilise and speed up training.
    In training mode it normalises with the statistics of the current batch and
    updates moving averages of them; in inference mode it normalises with those
    moving averages. As in Keras, a layer with ``trainable=False`` is frozen: it
    always runs in inference mode and never updates its moving statistics.

    The moving averages follow Keras exactly,
    ``moving = moving * momentum + batch_statistic * (1 - momentum)``, with the
    *biased* batch variance (``torch.nn.BatchNorm`` uses the unbiased one and
    ``momentum`` the other way round: torch's momentum is ``1 - momentum``).

    Args:
        axis: int, the feature axis to normalise (default ``-1``, channels last); use
            ``axis=1`` after a ``channels_first`` layer.
        momentum: float in ``[0, 1]``, momentum of the moving averages (default ``0.99``).
        epsilon: positive float added to the variance (default ``1e-3``).
        center: whether to add the learned offset ``beta`` (default ``True``).
        scale: whether to multiply by the learned factor ``gamma`` (default ``True``).
        beta_initializer: default ``'zeros'``.
        gamma_initializer: default ``'ones'``.
        moving_mean_initializer: default ``'zeros'``.
        moving_variance_initializer: default ``'ones'``.
        synchronized: in a distributed run (``torchrun``), normalise with the
            statistics of the global batch, gathered from every rank at each training
            step (as ``torch.nn.SyncBatchNorm``); ``False`` (default) uses each rank's
            own batch. Without distribution it changes nothing.

    Call arguments:
        inputs: a floating tensor of rank >= 2.
        training: ``True`` for batch statistics, ``False`` for the moving ones;
            ``None`` (default) follows ``self.training`` (``model.train()``/``eval()``).

    Input shape:
        Any shape of rank >= 2, e.g. ``(batch, features)`` or
        ``(batch, height, width, channels)``.

    Output shape:
        Same as the input.

    Weights:
        ``weight`` (Keras' ``gamma``) and ``bias`` (``beta``), trainable, and the
        buffers ``running_mean`` (``moving_mean``) and ``running_var``
        (``moving_variance``), all of shape ``(features,)``: the names of
        ``nn.BatchNorm2d``, whose ``state_dict`` this one loads into.

    Example:
        >>> import torch
        >>> from fitorch.layers.normalization import BatchNormalization
        >>> layer = BatchNormalization(momentum=0.9)
        >>> x = 3.0 + torch.randn(16, 8, 8, 4)
        >>> y = layer(x, training=True)  # batch statistics
        >>> y.shape, bool(y.detach().mean().abs() < 1e-4)
        (torch.Size([16, 8, 8, 4]), True)
        >>> [name for name, _ in layer.named_buffers()]
        ['running_mean', 'running_var']
        >>> bool((layer.running_mean > 0.25).all())  # 0.9 * 0 + 0.1 * ~3
        True
    """

    supports_masking = True

    def __init__(
        self,
        axis: int = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        moving_mean_initializer: Any = "zeros",
        moving_variance_initializer: Any = "ones",
        synchronized: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError(f"BatchNormalization {self.name!r}: axis must be an int; received axis={axis!r}.")
        if not isinstance(momentum, Real) or not 0.0 <= momentum <= 1.0:
            raise ValueError(
                f"BatchNormalization {self.name!r}: momentum must be a float in [0, 1] (Keras' convention, "
                f"e.g. 0.99); received momentum={momentum!r}."
            )
        if not isinstance(epsilon, Real) or epsilon <= 0:
            raise ValueError(
                f"BatchNormalization {self.name!r}: epsilon must be a positive float; "
                f"received epsilon={epsilon!r}."
            )
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = beta_initializer
        self.gamma_initializer = gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.synchronized = bool(synchronized)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        rank = len(input_shape)
        axis = self._normalized_axis(input_shape)
        features = input_shape[axis]
        if features is None:
            raise ValueError(
                f"BatchNormalization {self.name!r}: the normalised axis {self.axis} must have a known size; "
                f"received shape {input_shape}."
            )
        if self.scale:
            self.add_weight("weight", (features,), self.gamma_initializer)
        else:
            self.weight = None
        if self.center:
            self.add_weight("bias", (features,), self.beta_initializer)
        else:
            self.bias = None
        self.add_weight("running_mean", (features,), self.moving_mean_initializer, trainable=False)
        self.add_weight("running_var", (features,), self.moving_variance_initializer, trainable=False)
        self.input_spec = InputSpec(ndim=rank, axes={self.axis: features})
        self._set_layout(rank, axis)

    def _normalized_axis(self, input_shape: tuple[int | None, ...]) -> int:
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"BatchNormalization {self.name!r}: axis={self.axis} is out of range for inputs of rank "
                f"{rank} (received shape {input_shape}); pass an axis in [{-rank}, {rank})."
            )
        return self.axis % rank

    def _set_layout(self, rank: int, axis: int) -> None:
        """Chooses how inputs become the ``(N, C, ...)`` tensors torch's kernels normalise along dim 1.

        Channels-first and channels-last inputs become views, with no copy. Any other
        axis gives a permuted view, which torch's kernels may copy.
        """
        self._permutation: tuple[int, ...] | None = None
        self._as_matrix = False
        if axis == 1:
            return  # (N, C), (N, C, L), (N, C, H, W) ...: already torch's layout
        if axis == rank - 1 and rank in (4, 5):
            # (N, H, W, C) -> (N, C, H, W): a view in channels_last memory format, which
            # torch's CPU and cuDNN kernels take directly.
            self._permutation = (0, axis, *range(1, axis))
        elif axis == rank - 1:
            # (N, ..., C) -> (N * ..., C): a view of the same memory, normalised per column.
            self._as_matrix = True
        else:
            others = [d for d in range(rank) if d != axis]
            self._permutation = (others[0], axis, *others[1:])

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        training = self.training if training is None else training
        if self._as_matrix:
            x = inputs.flatten(0, -2)  # (N, ..., C) -> (N * ..., C)
        elif self._permutation is not None:
            x = inputs.permute(self._permutation)
        else:
            x = inputs
        if training and self.trainable:
            # The kernel also returns the batch mean and 1 / sqrt(var + epsilon) it used:
            # the moving averages reuse them, with no second pass over the data.
            if self.synchronized and _distributed():
                outputs, mean, inverse_std = _global_batch_norm(x, self.weight, self.bias, self.epsilon)
            else:
                outputs, mean, inverse_std = torch.native_batch_norm(
                    x, self.weight, self.bias, None, None, True, 0.0, self.epsilon
                )
            self._update_moving_statistics(mean, inverse_std)
        else:
            outputs = F.batch_norm(
                x, self.running_mean, self.running_var, self.weight, self.bias, False, 0.0, self.epsilon
            )
        if self._as_matrix:
            return outputs.reshape(inputs.shape)
        if self._permutation is not None:
            return outputs.permute(_inverse(self._permutation))
        return outputs

    def _update_moving_statistics(self, mean: torch.Tensor, inverse_std: torch.Tensor) -> None:
        with torch.no_grad():
            # Keras averages the biased batch variance (torch's running_var takes the unbiased one).
            variance = inverse_std.square().reciprocal_().sub_(self.epsilon).clamp_(min=0.0)
            self.running_mean.mul_(self.momentum).add_(mean, alpha=1.0 - self.momentum)
            self.running_var.mul_(self.momentum).add_(variance, alpha=1.0 - self.momentum)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        self._normalized_axis(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            **affine_config(self),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "synchronized": self.synchronized,
        }


def _distributed() -> bool:
    import torch.distributed as dist

    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def _global_batch_norm(
    x: torch.Tensor, weight: torch.Tensor | None, bias: torch.Tensor | None, epsilon: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Batch normalisation of ``x`` (channels on axis 1) with the statistics of every rank's batch.

    Two differentiable ``all_reduce``s, (sum, count) then the sum of squared deviations,
    keep the variance as exact as a single pass over the global batch; their backward
    passes sum the gradients over the ranks, as the statistics depend on every rank.

    Returns:
        The output, the global mean and ``1 / sqrt(variance + epsilon)`` (detached).
    """
    from torch.distributed.nn.functional import all_reduce

    channels = x.shape[1]
    dims = [0, *range(2, x.ndim)]
    shape = [1, channels] + [1] * (x.ndim - 2)
    count = torch.full((1,), x.numel() // channels, dtype=x.dtype, device=x.device)
    totals = all_reduce(torch.cat([x.sum(dims), count]))  # (C + 1,)
    mean = totals[:channels] / totals[channels]
    centered = x - mean.view(shape)
    variance = all_reduce(centered.square().sum(dims)) / totals[channels]  # biased, as Keras
    inverse_std = torch.rsqrt(variance + epsilon)
    outputs = centered * inverse_std.view(shape)
    if weight is not None:
        outputs = outputs * weight.view(shape)
    if bias is not None:
        outputs = outputs + bias.view(shape)
    return outputs, mean.detach(), inverse_std.detach()


def _inverse(permutation: tuple[int, ...]) -> tuple[int, ...]:
    inverse = [0] * len(permutation)
    for position, axis in enumerate(permutation):
        inverse[axis] = position
    return tuple(inverse)
