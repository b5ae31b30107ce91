"""Math ops (``keras.ops.math``): segment reductions, FFTs, sequences, ``erf``-style special functions.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> data = torch.tensor([1.0, 2.0, 3.0, 4.0])
    >>> ops.segment_sum(data, torch.tensor([0, 0, 1, 1]), num_segments=2).tolist()
    [3.0, 7.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from fitorch.initializers.initializers import named_window
from fitorch.ops.dtypes import convert, to_float
from fitorch.ops.registry import generated_op, keras_op


def _segment(data: Any, segment_ids: Any, num_segments: int | None, reduce: str, op: str) -> torch.Tensor:
    data = convert(data)
    ids = convert(segment_ids, like=data).long()
    if ids.ndim != 1 or ids.shape[0] != data.shape[0]:
        raise ValueError(f"ops.{op}: segment_ids must be 1D with one id per row of data ({data.shape[0]}); "
                         f"received shape {tuple(ids.shape)}.")  # fmt: skip
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.numel() else 0
    # Ids outside [0, num_segments) are dropped, as in Keras: they go to an extra segment, cut at the end.
    ids = torch.where((ids >= 0) & (ids < num_segments), ids, num_segments)
    shape = (num_segments + 1, *data.shape[1:])
    index = ids.reshape(-1, *([1] * (data.ndim - 1))).expand_as(data)
    if reduce == "sum":
        return torch.zeros(shape, dtype=data.dtype, device=data.device).scatter_add(0, index, data)[:-1]
    initial = {"prod": 1, "amax": float("-inf"), "amin": float("inf")}[reduce]
    if not data.is_floating_point() and reduce in ("amax", "amin"):
        info = torch.iinfo(data.dtype)
        initial = info.min if reduce == "amax" else info.max
    result = torch.full(shape, initial, dtype=data.dtype, device=data.device)
    return result.scatter_reduce(0, index, data, reduce=reduce, include_self=True)[:-1]


def _segment_op(name: str, reduce: str, doc: str) -> Callable[..., torch.Tensor]:
    """The op ``name``: ``reduce`` over the rows of each segment (Keras' ``sorted`` hint is accepted and unused)."""

    def op(data: Any, segment_ids: Any, num_segments: int | None = None, sorted: bool = False) -> torch.Tensor:  # noqa: A002
        return _segment(data, segment_ids, num_segments, reduce, name)

    return generated_op(name, op, doc)


segment_sum = _segment_op("segment_sum", "sum", "The sum of the rows of ``data`` in each segment.")
segment_max = _segment_op(
    "segment_max",
    "amax",
    "The maximum of the rows of ``data`` in each segment (the dtype's lowest value for empty ones).",
)
segment_min = _segment_op("segment_min", "amin", "The minimum of the rows of ``data`` in each segment.")
segment_prod = _segment_op("segment_prod", "prod", "The product of the rows of ``data`` in each segment.")


@keras_op()
def extract_sequences(x: Any, sequence_length: int, sequence_stride: int) -> torch.Tensor:
    """Frames of ``sequence_length`` every ``sequence_stride`` along the last axis: ``(..., frames, length)``."""
    return convert(x).unfold(-1, sequence_length, sequence_stride)


def _complex(x: Any, op: str) -> torch.Tensor:
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"ops.{op}: x must be a (real, imag) pair of tensors; received {type(x).__name__}.")
    real = to_float(convert(x[0]))
    return torch.complex(real, convert(x[1], like=real).to(real.dtype))


def _pair(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.real(z).contiguous(), torch.imag(z).contiguous()


@keras_op()
def fft(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The FFT over the last axis of a ``(real, imag)`` pair, returned as a pair."""
    return _pair(torch.fft.fft(_complex(x, "fft")))


@keras_op()
def fft2(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The 2D FFT over the last two axes of a ``(real, imag)`` pair."""
    return _pair(torch.fft.fft2(_complex(x, "fft2")))


@keras_op()
def ifft2(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The inverse 2D FFT of a ``(real, imag)`` pair."""
    return _pair(torch.fft.ifft2(_complex(x, "ifft2")))


@keras_op()
def rfft(x: Any, fft_length: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The real-input FFT over the last axis, as ``(real, imag)``."""
    return _pair(torch.fft.rfft(to_float(convert(x)), n=fft_length))


@keras_op()
def irfft(x: Any, fft_length: int | None = None) -> torch.Tensor:
    """The inverse of ``rfft`` for a ``(real, imag)`` pair."""
    return torch.fft.irfft(_complex(x, "irfft"), n=fft_length)


@keras_op()
def view_as_complex(x: Any) -> torch.Tensor:
    """A ``(..., 2)`` real tensor as a complex tensor."""
    return torch.view_as_complex(convert(x).contiguous())


@keras_op()
def view_as_real(x: Any) -> torch.Tensor:
    """A complex tensor as a ``(..., 2)`` real tensor."""
    return torch.view_as_real(convert(x))


@keras_op()
def polar(abs_: Any, angle: Any) -> torch.Tensor:
    """The complex number with magnitude ``abs_`` and phase ``angle``."""
    magnitude = to_float(convert(abs_))
    return torch.polar(magnitude, convert(angle, like=magnitude).to(magnitude.dtype))


@keras_op()
def cdist(x: Any, y: Any) -> torch.Tensor:
    """The Euclidean distances between the rows of ``x`` and the rows of ``y``; batch axes broadcast.

    Args:
        x: a tensor of shape ``(..., P, M)``.
        y: a tensor of shape ``(..., R, M)``.

    Returns:
        The distances, of shape ``(..., P, R)`` (``floatx()`` for int inputs).

    Example:
        >>> from fitorch import ops
        >>> import torch
        >>> ops.cdist(torch.tensor([[0.0, 0.0], [1.0, 1.0]]), torch.tensor([[0.0, 1.0]])).tolist()
        [[1.0], [1.0]]
    """
    x_t, y_t = to_float(convert(x)), to_float(convert(y, like=x))
    if x_t.ndim < 2 or y_t.ndim < 2 or x_t.shape[-1] != y_t.shape[-1]:
        raise ValueError(f"ops.cdist: x and y must have rank >= 2 and the same last axis; received shapes "
                         f"{tuple(x_t.shape)} and {tuple(y_t.shape)}.")  # fmt: skip
    dtype = torch.promote_types(x_t.dtype, y_t.dtype)
    # The direct difference, not torch's matmul shortcut, which loses precision for near points.
    return torch.cdist(x_t.to(dtype), y_t.to(dtype), compute_mode="donot_use_mm_for_euclid_dist")


@keras_op()
def stft(
    x: Any, sequence_length: int, sequence_stride: int, fft_length: int, window: Any = "hann", center: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """The short-time Fourier transform along the last axis, as a ``(real, imag)`` pair.

    Frames of ``sequence_length`` samples, ``sequence_stride`` apart, are windowed,
    zero-padded to ``fft_length`` on both sides and transformed (``torch.stft``).

    Args:
        x: a float32 or float64 tensor of shape ``(..., samples)``.
        sequence_length: the frame (and window) length.
        sequence_stride: the step between frames.
        fft_length: the FFT size, at least ``sequence_length``.
        window: ``'hann'`` (default) or ``'hamming'`` for the periodic windows of that name,
            a 1D tensor of ``sequence_length`` weights, or ``None`` for no window.
        center: pad ``x`` by ``fft_length // 2`` on both sides (reflecting it), so that frame
            ``t`` is centred on sample ``t * sequence_stride``.

    Returns:
        ``(real, imag)``, each of shape ``(..., frames, fft_length // 2 + 1)``.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> real, imag = ops.stft(torch.ones(2, 16), 8, 4, 8, window=None, center=False)
        >>> real.shape, real[0, 0, :2].tolist()
        (torch.Size([2, 3, 5]), [8.0, 0.0])
    """
    x = convert(x)
    if x.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"ops.stft: x must be float32 or float64; received {x.dtype}.")
    _check_frames("stft", sequence_length, sequence_stride, fft_length)
    win = _stft_window(window, sequence_length, x, "stft")
    batch_shape, samples = x.shape[:-1], x.shape[-1]
    # (..., samples) -> (B, samples) -> (B, bins, frames) complex
    spectrum = torch.stft(x.reshape(-1, samples), n_fft=fft_length, hop_length=sequence_stride,
                          win_length=sequence_length, window=win, center=center, return_complex=True)  # fmt: skip
    # -> (..., frames, bins)
    spectrum = spectrum.reshape(*batch_shape, *spectrum.shape[-2:]).transpose(-1, -2)
    return spectrum.real, spectrum.imag


def _stft_window(window: Any, sequence_length: int, like: torch.Tensor, op: str) -> torch.Tensor:
    """The window of ``stft`` / ``istft``: periodic Hann or Hamming by name, given weights, or ones."""
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"ops.{op}: window must be 'hann', 'hamming', a 1D tensor or None; received {window!r}.")
        return named_window(window, sequence_length, True, like.dtype, like.device)
    if window is None:
        return torch.ones(sequence_length, dtype=like.dtype, device=like.device)
    win = convert(window, like.dtype, like=like)
    if win.shape != (sequence_length,):
        raise ValueError(f"ops.{op}: window must have shape ({sequence_length},) (sequence_length); "
                         f"received {tuple(win.shape)}.")  # fmt: skip
    return win


def _check_frames(op: str, sequence_length: Any, sequence_stride: Any, fft_length: Any) -> None:
    for name, value in (("sequence_length", sequence_length), ("sequence_stride", sequence_stride),
                        ("fft_length", fft_length)):  # fmt: skip
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"ops.{op}: {name} must be a positive int; received {value!r}.")
    if fft_length < sequence_length:
        raise ValueError(f"ops.{op}: fft_length ({fft_length}) must be at least sequence_length ({sequence_length}).")


@keras_op()
def istft(
    x: Any,
    sequence_length: int,
    sequence_stride: int,
    fft_length: int,
    length: int | None = None,
    window: Any = "hann",
    center: bool = True,
) -> torch.Tensor:
    """The inverse short-time Fourier transform along the last axis: the signal ``stft`` was taken of.

    Give it the arguments ``stft`` was given. With a window, ``sequence_length == fft_length``
    and ``center=True`` it is ``torch.istft``; otherwise each frame's inverse FFT is weighted
    by the window over the sum of the squared windows that overlap there (TensorFlow's
    ``inverse_stft_window_fn``, as Keras does) and the frames are overlap-added.

    Args:
        x: the ``(real, imag)`` pair of float tensors of shape ``(..., frames, fft_length // 2 + 1)``.
        sequence_length: the frame (and window) length.
        sequence_stride: the step between frames.
        fft_length: the FFT size ``stft`` used.
        length: cut (or, through ``torch.istft``, zero-pad) the output to this many samples;
            ``None`` (default) keeps all of them.
        window: ``'hann'`` (default), ``'hamming'``, a 1D tensor of ``sequence_length`` weights,
            or ``None`` for no window.
        center: whether ``stft`` padded the signal so that frame ``t`` is centred on
            sample ``t * sequence_stride`` (default ``True``).

    Returns:
        The signal, of shape ``(..., samples)``.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> signal = torch.sin(torch.arange(64.0))
        >>> spectrum = ops.stft(signal, 16, 4, 16)
        >>> rebuilt = ops.istft(spectrum, 16, 4, 16, length=64)
        >>> torch.allclose(rebuilt, signal, atol=1e-5)
        True
    """
    _check_frames("istft", sequence_length, sequence_stride, fft_length)
    spectrum = _complex(x, "istft")
    if spectrum.ndim < 2:
        raise ValueError(f"ops.istft: x must have shape (..., frames, fft_length // 2 + 1); "
                         f"received {tuple(spectrum.shape)}.")  # fmt: skip
    real = spectrum.real
    win = None if window is None else _stft_window(window, sequence_length, real, "istft")
    batch_shape, (frames, bins) = spectrum.shape[:-2], spectrum.shape[-2:]
    if win is not None and sequence_length == fft_length and center:
        if spectrum.is_meta:
            # torch.istft checks the window's overlap on values (no meta kernel); a model being defined needs the shape.
            samples = length if length is not None else sequence_stride * (frames - 1) + fft_length % 2
            return real.new_empty(*batch_shape, samples)
        # (..., frames, bins) -> (B, bins, frames), the layout torch.istft takes.
        flat = spectrum.reshape(-1, frames, bins).transpose(1, 2)
        signal = torch.istft(flat, n_fft=fft_length, hop_length=sequence_stride, win_length=sequence_length,
                             window=win, center=True, length=length)  # fmt: skip
        return signal.reshape(*batch_shape, signal.shape[-1])
    # (..., frames, fft_length): each frame's samples.
    pieces = torch.fft.irfft(spectrum, n=fft_length)
    if win is not None:
        left = (fft_length - sequence_length) // 2
        win = torch.nn.functional.pad(win, (left, fft_length - sequence_length - left))
        # The squared window summed over the frames that overlap each sample of a frame.
        overlaps = -(-fft_length // sequence_stride)
        squares = torch.nn.functional.pad(win.square(), (0, overlaps * sequence_stride - fft_length))
        denominator = squares.reshape(overlaps, sequence_stride).sum(0).repeat(overlaps)[:fft_length]
        pieces = pieces * (win / denominator)
    total = fft_length + sequence_stride * (frames - 1)
    # Overlap-add: (B, fft_length, frames) -> (B, 1, 1, total).
    signal = torch.nn.functional.fold(
        pieces.reshape(-1, frames, fft_length).transpose(1, 2), output_size=(1, total),
        kernel_size=(1, fft_length), stride=(1, sequence_stride),
    ).reshape(*batch_shape, total)  # fmt: skip
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = total - fft_length // 2 if center else total
    return signal[..., start:end]
