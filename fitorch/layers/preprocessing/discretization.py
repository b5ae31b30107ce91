"""``Discretization``: buckets continuous features by bin boundaries, given or learned by ``adapt``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.layers.layer import Layer
from fitorch.layers.preprocessing.category_encoding import as_tensor, encode_categorical, encoded_shape

Shape = tuple[int | None, ...]
OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


class Discretization(Layer):
    """Maps each value to the index of the bin it falls in.

    With boundaries ``[b0, b1, ..., bn-1]`` the bins are ``(-inf, b0)``, ``[b0, b1)``,
    ..., ``[bn-1, inf)``, indexed ``0 .. n``. Give ``bin_boundaries``, or give
    ``num_bins`` and call ``adapt(data)`` to place the boundaries at (approximate)
    quantiles of the data, with Keras' summary algorithm (accuracy ``epsilon``).

    Args:
        bin_boundaries: optional sorted list of floats, the boundaries.
        num_bins: optional int, the number of bins ``adapt`` learns.
        epsilon: float, the error tolerance of ``adapt``'s quantiles (default ``0.01``).
        output_mode: ``'int'`` (default, the bin indices as int32), ``'one_hot'``,
            ``'multi_hot'`` or ``'count'`` (as in ``CategoryEncoding``, with
            ``len(bin_boundaries) + 1`` categories).
        sparse: only ``False``.

    Call arguments:
        inputs: a numeric tensor, NumPy array or list.

    Input shape:
        Any (``(batch, ...)``).

    Output shape:
        The input's for ``'int'``; otherwise as ``CategoryEncoding``'s.

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import Discretization
        >>> Discretization(bin_boundaries=[0.0, 1.0, 2.0])(torch.tensor([[-1.5, 1.0, 3.4, 0.5]]))
        tensor([[0, 2, 3, 1]], dtype=torch.int32)
        >>> layer = Discretization(num_bins=4, epsilon=0.01)
        >>> layer.adapt(torch.arange(8.0))
        >>> layer.bin_boundaries
        [1.0, 3.0, 5.0]
    """

    def __init__(
        self,
        bin_boundaries: Sequence[float] | None = None,
        num_bins: int | None = None,
        epsilon: float = 0.01,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = f"Discretization {self.name!r}"
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"{owner}: output_mode must be one of {list(OUTPUT_MODES)}; received {output_mode!r}.")
        if sparse:
            raise ValueError(f"{owner}: sparse=True is not supported; use sparse=False.")
        if num_bins is not None and (not isinstance(num_bins, int) or isinstance(num_bins, bool) or num_bins < 0):
            raise ValueError(f"{owner}: num_bins must be an int >= 0; received num_bins={num_bins!r}.")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                f"{owner}: pass either num_bins or bin_boundaries, not both; received num_bins={num_bins!r} and "
                f"bin_boundaries={bin_boundaries!r}."
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError(f"{owner}: pass bin_boundaries, or num_bins and then call adapt().")
        if bin_boundaries is not None:
            bin_boundaries = [float(b) for b in bin_boundaries]
            if any(a > b for a, b in zip(bin_boundaries, bin_boundaries[1:], strict=False)):
                raise ValueError(f"{owner}: bin_boundaries must be sorted; received {bin_boundaries!r}.")
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = float(epsilon)
        self.output_mode = output_mode
        self.sparse = False
        self._summary = np.array([[], []], dtype="float32")
        self._boundaries: dict[tuple[torch.device, torch.dtype], torch.Tensor] = {}

    # ------------------------------------------------------------------ adapt
    def adapt(self, data: Any) -> None:
        """Learns ``num_bins`` quantile boundaries from ``data`` (an array, tensor or iterable of batches).

        Raises:
            ValueError: if the layer was given ``bin_boundaries``.
        """
        if self.num_bins is None:
            raise ValueError(
                f"Discretization {self.name!r}: adapt() needs a layer made with num_bins, not bin_boundaries."
            )
        if isinstance(data, (np.ndarray, torch.Tensor)):
            batches: Iterable[Any] = [data]
        elif isinstance(data, Iterable) and not isinstance(data, (str, bytes)):
            batches = data
        else:
            raise TypeError(
                f"Discretization {self.name!r}: adapt() accepts an array, a tensor or an iterable of batches; "
                f"received {type(data).__name__}."
            )
        summary = np.array([[], []], dtype="float32")
        for batch in batches:
            if isinstance(batch, torch.Tensor):
                batch = batch.detach().cpu().numpy()
            summary = _merge_summaries(
                _summarize(np.asarray(batch).astype("float32"), self.epsilon), summary, self.epsilon
            )
        self._summary = summary
        self.bin_boundaries = _compress_summary(summary, 1.0 / self.num_bins)[0, :-1].tolist()
        self._boundaries.clear()

    # ------------------------------------------------------------------ call
    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(inputs, (list, tuple, np.ndarray)):
            inputs = as_tensor(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.bin_boundaries is None:
            raise ValueError(
                f"Discretization {self.name!r}: the layer has no bin boundaries yet; call adapt(data) first (or pass "
                "bin_boundaries)."
            )
        values = inputs if inputs.is_floating_point() else inputs.to(config.floatx_dtype())
        key = (values.device, values.dtype)
        if key not in self._boundaries:
            self._boundaries[key] = torch.tensor(self.bin_boundaries, dtype=values.dtype, device=values.device)
        # right=True: b[i-1] <= x < b[i] gives i, NumPy's digitize.
        indices = torch.bucketize(values, self._boundaries[key], right=True)
        return encode_categorical(indices, self.output_mode, len(self.bin_boundaries) + 1, self._output_dtype())

    def _output_dtype(self) -> torch.dtype:
        return torch.int32 if self.output_mode == "int" else (self._dtype or config.floatx_dtype())

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        return encoded_shape(input_shape, self.output_mode, depth)

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        return self._output_dtype()

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": False,
        }

    @classmethod
    def from_config(cls, config_dict: dict[str, Any]) -> Discretization:
        """Rebuilds the layer; an adapted layer keeps its learned ``bin_boundaries``."""
        config_dict = dict(config_dict)
        if config_dict.get("bin_boundaries") is not None and config_dict.get("num_bins") is not None:
            boundaries = config_dict.pop("bin_boundaries")
            layer = cls(**config_dict)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config_dict)


# Keras' approximate-quantile summary: (2, n) arrays of [values, weights].
def _summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    values = np.sort(values.reshape(-1))
    step = max(values.size / (1.0 / epsilon), 1)
    boundaries = values[int(step - 1) :: int(step)]
    return np.stack([boundaries, np.ones_like(boundaries) * step])


def _merge_summaries(first: np.ndarray, second: np.ndarray, epsilon: float) -> np.ndarray:
    merged = np.concatenate((first, second), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return _compress_summary(merged, epsilon)


def _compress_summary(summary: np.ndarray, epsilon: float) -> np.ndarray:
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_weight_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_weight_percents, summary[0])
    cum_weights = np.interp(percents, cum_weight_percents, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0]), cum_weights[:-1]))
    return np.stack((new_bins, new_weights)).astype("float32")
