"""``Normalization``: standardises features with a mean and variance given or learned by ``adapt``."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]


class Normalization(Layer):
    """Shifts and scales inputs to zero mean and unit variance: ``(x - mean) / sqrt(variance)``.

    Use it as the first layer of a model on numeric features, so the model carries
    its own preprocessing. Either pass ``mean`` and ``variance``, or call
    ``adapt(data)`` once on (a sample of) the training data, as in Keras. The
    statistics are kept per position of the ``axis`` axes and shared across the
    others; ``axis=-1`` (default) gives one mean per feature, ``axis=None`` a
    single scalar mean and variance. The denominator is ``max(sqrt(variance),
    epsilon)`` (``fitorch.config.epsilon()``, 1e-7), so constant features give 0.

    Args:
        axis: int, list of ints or ``None``, the axes that keep separate
            statistics (default ``-1``). Their sizes must be known when the layer
            is built.
        mean: optional float or array, the mean; given together with ``variance``.
            Arrays broadcast against the kept axes (aligned from the right).
        variance: optional float or array, the variance.
        invert: if ``True``, the layer undoes the normalization instead:
            ``mean + x * sqrt(variance)`` (default ``False``).

    Call arguments:
        inputs: a tensor. Floating inputs keep their dtype (unless the layer is
            given a ``dtype``); integer inputs give ``fitorch.config.floatx()``.

    Input shape:
        Any; the rank is fixed when the layer is built.

    Output shape:
        Same as the input.

    Weights:
        When ``mean``/``variance`` are not given: the buffers ``mean`` and
        ``variance`` (shape: the sizes of the kept axes) and ``count`` (an int32
        scalar Keras keeps for compatibility, always 0), which ``adapt`` fills.
        With ``mean``/``variance`` given, the layer has no weights (as in Keras).

    Example:
        >>> import numpy as np, torch
        >>> from fitorch.layers.preprocessing import Normalization
        >>> layer = Normalization()
        >>> layer.adapt(np.array([[0.0, 7.0], [2.0, 9.0]], dtype="float32"))
        >>> layer.mean, layer.variance
        (tensor([1., 8.]), tensor([1., 1.]))
        >>> layer(torch.tensor([[1.0, 10.0]]))
        tensor([[0., 2.]])
        >>> Normalization(mean=2.0, variance=4.0)(torch.tensor([[4.0]]))
        tensor([[1.]])
    """

    supports_masking = True

    def __init__(
        self,
        axis: int | Sequence[int] | None = -1,
        mean: Any = None,
        variance: Any = None,
        invert: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int) and not isinstance(axis, bool):
            axis = (axis,)
        elif isinstance(axis, Sequence) and all(isinstance(a, int) and not isinstance(a, bool) for a in axis):
            axis = tuple(axis)
        else:
            raise ValueError(
                f"Normalization {self.name!r}: axis must be an int, a list of ints or None; received axis={axis!r}."
            )
        self.axis: tuple[int, ...] = axis
        if (mean is None) != (variance is None):
            raise ValueError(
                f"Normalization {self.name!r}: pass both mean and variance, or neither (and call adapt()); "
                f"received mean={mean!r} and variance={variance!r}."
            )
        self.input_mean = _plain(mean)
        self.input_variance = _plain(variance)
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    f"Normalization {self.name!r}: mean and variance must have the same shape; received shapes "
                    f"{np.shape(mean)} and {np.shape(variance)}."
                )
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(
                    f"Normalization {self.name!r}: the rank of mean must not exceed the number of axes "
                    f"({len(self.axis)}, axis={self.axis}); received a mean of shape {np.shape(mean)}."
                )
        self.invert = bool(invert)
        self._given: dict[tuple[torch.device, torch.dtype], tuple[torch.Tensor, torch.Tensor]] = {}

    # ------------------------------------------------------------------ build
    def build(self, input_shape: Shape) -> None:
        rank = len(input_shape)
        if any(not -rank <= a < rank for a in self.axis):
            raise ValueError(
                f"Normalization {self.name!r}: axis={self.axis} is out of range for inputs of rank {rank} "
                f"(shape {tuple(input_shape)})."
            )
        self._keep_axis = tuple(sorted(a % rank for a in self.axis))
        unknown = [a for a in self._keep_axis if input_shape[a] is None]
        if unknown:
            raise ValueError(
                f"Normalization {self.name!r}: the kept axes must have known sizes, but axis {unknown[0]} of "
                f"shape {tuple(input_shape)} is unknown."
            )
        self._reduce_axis = tuple(d for d in range(rank) if d not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[d] if d in self._keep_axis else 1 for d in range(rank))
        self._stat_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.add_weight("mean", self._stat_shape, "zeros", trainable=False)
            self.add_weight("variance", self._stat_shape, "ones", trainable=False)
            self.add_weight("count", (), "zeros", trainable=False, dtype=torch.int32)
        else:
            self._given_mean = self._broadcast_given(self.input_mean)
            self._given_variance = self._broadcast_given(self.input_variance)
        self.input_spec = InputSpec(ndim=rank, axes={a: input_shape[a] for a in self._keep_axis})

    def _broadcast_given(self, value: Any) -> np.ndarray:
        """Keras' rule: a given mean aligns with the kept axes from the right, then broadcasts."""
        array = np.asarray(value, dtype=np.float32)
        expanded = [1] * len(self._broadcast_shape)
        for i in range(1, array.ndim + 1):
            expanded[self._keep_axis[-i]] = array.shape[-i]
        try:
            return np.broadcast_to(array.reshape(expanded), self._broadcast_shape)
        except ValueError:
            raise ValueError(
                f"Normalization {self.name!r}: mean/variance of shape {array.shape} do not broadcast to the kept "
                f"axes {self._keep_axis} of sizes {self._stat_shape}."
            ) from None

    # ------------------------------------------------------------------ adapt
    def adapt(self, data: Any) -> None:
        """Computes the mean and variance of ``data`` over the non-kept axes and stores them.

        Args:
            data: a NumPy array, a tensor, or an iterable of batches (arrays or
                tensors; a tuple ``(x, y)`` contributes its first element, like a
                ``DataLoader`` of ``(x, y)`` pairs). Iterables are combined batch by
                batch with the exact pooled mean and variance, as Keras does.

        Raises:
            ValueError: if the layer was given ``mean``/``variance``, the data is empty,
                or its shape does not match the layer's.
            TypeError: for data of another kind.
        """
        if self.input_mean is not None:
            raise ValueError(
                f"Normalization {self.name!r}: adapt() cannot be used when mean and variance were given to the "
                "constructor; create the layer without them."
            )
        if isinstance(data, (np.ndarray, torch.Tensor)):
            batches: Iterable[Any] = [data]
            first = data
        elif isinstance(data, Iterable) and not isinstance(data, (str, bytes, dict)):
            iterator = iter(data)
            first = next(iterator, None)
            if first is None:
                raise ValueError(
                    f"Normalization {self.name!r}: adapt() received an empty iterable; pass an array or at least "
                    "one batch."
                )
            batches = itertools.chain([first], iterator)
        else:
            raise TypeError(
                f"Normalization {self.name!r}: adapt() accepts a NumPy array, a tensor or an iterable of batches; "
                f"received {type(data).__name__}."
            )
        input_shape = tuple(_first_array(first, self).shape)
        if not self.built:
            self.build(input_shape)
        mean, variance = self._statistics(batches)
        with torch.no_grad():
            self.mean.copy_(mean.reshape(self._stat_shape))
            self.variance.copy_(variance.reshape(self._stat_shape))

    def _statistics(self, batches: Iterable[Any]) -> tuple[torch.Tensor, torch.Tensor]:
        """Pooled mean and (biased) variance over all batches, in float64."""
        total_mean = total_var = None
        total_count = 0
        for raw in batches:
            batch = torch.as_tensor(_first_array(raw, self))
            batch = batch.to("cpu" if batch.device.type == "mps" else batch.device, torch.float64)
            self._check_adapt_shape(tuple(batch.shape))
            if self._reduce_axis:
                batch_mean = batch.mean(dim=self._reduce_axis)
                batch_var = batch.var(dim=self._reduce_axis, correction=0)
            else:
                batch_mean, batch_var = batch, torch.zeros_like(batch)
            count = math.prod(batch.shape[d] for d in self._reduce_axis)
            if count == 0:
                continue
            if total_mean is None:
                total_mean, total_var, total_count = batch_mean, batch_var, count
                continue
            total_count += count
            weight = count / total_count
            new_mean = total_mean * (1 - weight) + batch_mean * weight
            # Pooled variance: each part's variance plus its mean's squared distance to the new mean.
            total_var = (total_var + (total_mean - new_mean) ** 2) * (1 - weight) + (
                batch_var + (batch_mean - new_mean) ** 2
            ) * weight
            total_mean = new_mean
        if total_mean is None:
            raise ValueError(f"Normalization {self.name!r}: adapt() received no samples.")
        return total_mean.cpu(), total_var.cpu()

    def _check_adapt_shape(self, shape: Shape) -> None:
        if len(shape) != len(self._broadcast_shape) or any(shape[a] != self._broadcast_shape[a] for a in self._keep_axis):
            raise ValueError(
                f"Normalization {self.name!r}: adapt() data of shape {shape} does not match the layer, built for "
                f"inputs of shape {tuple(self._build_input_shape)} with kept axes {self._keep_axis}."
            )

    # ------------------------------------------------------------------ call
    def _statistics_for(self, inputs: torch.Tensor, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        if self.input_mean is None:
            # (kept sizes) -> broadcast shape: a view, no copy.
            return self.mean.reshape(self._broadcast_shape), self.variance.reshape(self._broadcast_shape)
        key = (inputs.device, dtype)
        if key not in self._given:
            self._given[key] = (
                torch.from_numpy(np.array(self._given_mean)).to(device=inputs.device, dtype=dtype),
                torch.from_numpy(np.array(self._given_variance)).to(device=inputs.device, dtype=dtype),
            )
        return self._given[key]

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        dtype = self.compute_output_dtype(inputs.dtype)
        inputs = inputs.to(dtype)
        mean, variance = self._statistics_for(inputs, dtype)
        scale = torch.clamp(torch.sqrt(variance.to(dtype)), min=config.epsilon())
        if self.invert:
            return mean.to(dtype) + inputs * scale
        return (inputs - mean.to(dtype)) / scale

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        """Floating inputs keep their dtype (unless the layer has one); integer inputs give ``floatx()``."""
        if self._dtype is not None:
            return self._dtype
        return input_dtype if input_dtype.is_floating_point else config.floatx_dtype()

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "axis": list(self.axis),
            "invert": self.invert,
            "mean": self.input_mean,
            "variance": self.input_variance,
        }


def _plain(value: Any) -> float | list | None:
    """``None``, a float or a nested list: the JSON form of a given mean or variance."""
    if value is None:
        return None
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64).tolist()


def _first_array(batch: Any, layer: Layer) -> Any:
    """The inputs of a batch: the batch itself, or the first element of an ``(x, y)`` tuple."""
    if isinstance(batch, (tuple, list)) and batch:
        batch = batch[0]
    if not isinstance(batch, (np.ndarray, torch.Tensor)):
        batch = np.asarray(batch)
        if batch.dtype == object:
            raise TypeError(
                f"Normalization {layer.name!r}: adapt() batches must be arrays or tensors; received "
                f"{type(batch).__name__}."
            )
    return batch
