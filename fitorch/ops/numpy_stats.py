"""Statistics on signals and samples: ``keras.ops.histogram``, ``corrcoef``, ``correlate`` and window functions.

Window functions (``bartlett``, ``blackman``, ``hamming``, ``hanning``, ``kaiser``) are the
symmetric windows of NumPy and ``torch.signal.windows`` (the last sample equals the first),
as float32; for spectral analysis with ``stft`` Keras builds the periodic ones itself.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> ops.hanning(5).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    >>> counts, edges = ops.histogram(torch.tensor([0.0, 0.2, 0.9, 1.0]), bins=2)
    >>> counts.tolist(), edges.tolist()
    ([2.0, 2.0], [0.0, 0.5, 1.0])
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch import config
from fitorch.ops.dtypes import convert, is_int, result_dtype
from fitorch.ops.registry import keras_op


@keras_op()
def histogram(x: Any, bins: int = 10, range: tuple[float, float] | None = None) -> tuple[torch.Tensor, torch.Tensor]:  # noqa: A002
    """The counts of the values of a 1D ``x`` in ``bins`` equal bins, and the ``bins + 1`` bin edges.

    As in NumPy, each bin holds its left edge and the last bin also its right edge; values
    outside ``range`` are not counted. Counts and edges have ``x``'s float dtype, as in Keras
    (``floatx()`` for ints).

    Args:
        x: a 1D tensor.
        bins: the number of bins (default 10).
        range: ``(low, high)``; default ``(x.min(), x.max())``.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> counts, edges = ops.histogram(torch.tensor([1.0, 2.0, 2.5, 7.0]), bins=3, range=(0.0, 6.0))
        >>> counts.tolist(), edges.tolist()
        ([1.0, 2.0, 0.0], [0.0, 2.0, 4.0, 6.0])
    """
    if not isinstance(bins, int) or isinstance(bins, bool) or bins < 1:
        raise ValueError(f"ops.histogram: bins must be a positive int; received {bins!r}.")
    if range is not None and (len(range) != 2 or not range[0] < range[1]):
        raise ValueError(f"ops.histogram: range must be (low, high) with low < high; received {range!r}.")
    x = convert(x)
    if x.ndim != 1:
        raise ValueError(f"ops.histogram: x must be 1D; received shape {tuple(x.shape)}.")
    if is_int(x.dtype):
        x = x.to(config.floatx_dtype())
    # Edges and bin indices in float64, so that values on an edge fall where NumPy puts them.
    values = x.double()
    if range is None:
        low, high = values.min(), values.max()
        # NumPy widens an empty range (all values equal) to (v - 0.5, v + 0.5).
        low, high = torch.where(low == high, low - 0.5, low), torch.where(low == high, high + 0.5, high)
    else:
        low, high = (torch.tensor(float(v), dtype=torch.float64, device=x.device) for v in range)
    steps = torch.arange(bins + 1, dtype=torch.float64, device=x.device)
    edges = low + (high - low) * steps / bins
    inside = (values >= low) & (values <= high)
    # (n,) -> bin per value; the right edge belongs to the last bin.
    index = torch.searchsorted(edges, values, right=True).clamp(1, bins) - 1
    counts = torch.zeros(bins, dtype=torch.float64, device=x.device).scatter_add(0, index, inside.double())
    return counts.to(x.dtype), edges.to(x.dtype)


@keras_op()
def corrcoef(x: Any) -> torch.Tensor:
    """The Pearson correlation coefficients of the rows of ``x`` (variables) over its columns (samples).

    Args:
        x: a 1D or 2D tensor; each row is a variable.

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.corrcoef(torch.tensor([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])).tolist()
        [[1.0, -1.0], [-1.0, 1.0]]
    """
    x = convert(x)
    if x.ndim > 2:
        raise ValueError(f"ops.corrcoef: x must be 1D or 2D; received shape {tuple(x.shape)}.")
    if x.dtype == torch.int64:
        x = x.to(torch.float64)
    elif is_int(x.dtype):
        x = x.to(config.floatx_dtype())
    # Written out rather than torch.corrcoef, which cannot run on the meta tensors of a model being defined.
    # (V, N) -> (V, V) covariances -> correlations, clipped to [-1, 1] as NumPy does.
    rows = x.reshape(-1, x.shape[-1]) if x.ndim else x.reshape(1, 1)
    centered = rows - rows.mean(dim=-1, keepdim=True)
    covariance = centered @ centered.T
    scale = torch.sqrt(torch.diagonal(covariance))
    result = (covariance / scale[:, None] / scale[None, :]).clamp(-1, 1)
    return result if x.ndim == 2 else result[0, 0]


@keras_op()
def correlate(x1: Any, x2: Any, mode: str = "valid") -> torch.Tensor:
    """The cross-correlation ``c[k] = sum_n x1[n + k] * x2[n]`` of two 1D tensors, as ``numpy.correlate``.

    Args:
        x1: a 1D tensor of length ``M``.
        x2: a 1D tensor of length ``N``.
        mode: ``'valid'`` (default; length ``max(M, N) - min(M, N) + 1``, where one fully overlaps the
            other), ``'same'`` (length ``max(M, N)``, centred) or ``'full'`` (length ``M + N - 1``).

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.correlate(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0.0, 1.0, 0.5]), mode="full").tolist()
        [0.5, 2.0, 3.5, 3.0, 0.0]
    """
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"ops.correlate: mode must be 'valid', 'same' or 'full'; received {mode!r}.")
    a, v = convert(x1), convert(x2, like=x1)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"ops.correlate: x1 and x2 must be 1D; received shapes {tuple(a.shape)} and "
                         f"{tuple(v.shape)}.")  # fmt: skip
    dtype = result_dtype(a, v)
    dtype = torch.float64 if dtype == torch.int64 else dtype
    dtype = dtype if dtype in (torch.bfloat16, torch.float16, torch.float64) else torch.float32
    m, n = a.shape[0], v.shape[0]
    # (1, 1, M) correlated with the (1, 1, N) kernel, zero-padded by N - 1 on both sides -> (M + N - 1,)
    full = F.conv1d(a.to(dtype)[None, None], v.to(dtype)[None, None], padding=n - 1)[0, 0]
    shortest, longest = min(m, n), max(m, n)
    if mode == "full":
        return full
    if mode == "valid":
        return full[shortest - 1 : longest]
    start = (shortest - 1) // 2 if m >= n else shortest // 2
    return full[start : start + longest]


def _window(name: str, x: Any) -> int:
    if isinstance(x, torch.Tensor) and x.ndim == 0 and not x.is_floating_point():
        x = int(x)
    if not isinstance(x, int) or isinstance(x, bool) or x < 0:
        raise ValueError(f"ops.{name}: x (the number of points) must be a non-negative int; received {x!r}.")
    return x


@keras_op()
def bartlett(x: int) -> torch.Tensor:
    """The ``x``-point (symmetric) Bartlett window, a triangle that is 0 at both ends.

    Example:
        >>> from fitorch import ops
        >>> ops.bartlett(5).tolist()
        [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    return torch.signal.windows.bartlett(_window("bartlett", x), dtype=torch.float32)


@keras_op()
def blackman(x: int) -> torch.Tensor:
    """The ``x``-point (symmetric) Blackman window.

    Example:
        >>> from fitorch import ops
        >>> ops.blackman(3).abs().round(decimals=4).tolist()
        [0.0, 1.0, 0.0]
    """
    return torch.signal.windows.blackman(_window("blackman", x), dtype=torch.float32)


@keras_op()
def hamming(x: int) -> torch.Tensor:
    """The ``x``-point (symmetric) Hamming window, ``0.54 - 0.46 cos(2 pi n / (x - 1))``.

    Example:
        >>> from fitorch import ops
        >>> ops.hamming(3)
        tensor([0.0800, 1.0000, 0.0800])
    """
    return torch.signal.windows.hamming(_window("hamming", x), dtype=torch.float32)


@keras_op()
def hanning(x: int) -> torch.Tensor:
    """The ``x``-point (symmetric) Hann window, ``0.5 - 0.5 cos(2 pi n / (x - 1))``.

    Example:
        >>> from fitorch import ops
        >>> ops.hanning(3).tolist()
        [0.0, 1.0, 0.0]
    """
    return torch.signal.windows.hann(_window("hanning", x), dtype=torch.float32)


@keras_op()
def kaiser(x: int, beta: float) -> torch.Tensor:
    """The ``x``-point (symmetric) Kaiser window with shape parameter ``beta`` (0 gives a rectangle).

    Example:
        >>> from fitorch import ops
        >>> ops.kaiser(3, 0.0).tolist()
        [1.0, 1.0, 1.0]
    """
    return torch.signal.windows.kaiser(_window("kaiser", x), beta=float(beta), dtype=torch.float32)
