"""Keras weight initializers, computed with torch.

Initializers receive shapes in **Keras layout** (a Dense kernel is ``(in, out)``, a
Conv2D kernel ``(kh, kw, in, out)``) so fan-in and fan-out follow Keras exactly;
``Layer.add_weight`` permutes the result into torch layout.

Example:
    >>> init = GlorotUniform()
    >>> w = init((4, 3))
    >>> tuple(w.shape), bool(w.abs().max() <= (6 / 7) ** 0.5)
    ((4, 3), True)
"""

from __future__ import annotations

import math
from typing import Any

import torch

from fitorch import config


def compute_fans(
    shape: tuple[int, ...],
    input_axes: tuple[int, ...] | list[int] | None = None,
    output_axes: tuple[int, ...] | list[int] | None = None,
) -> tuple[int, int]:
    """Returns ``(fan_in, fan_out)`` of a Keras-layout shape, as Keras computes them.

    With ``input_axes`` and ``output_axes`` (both given), the fans are the products
    of those axes' sizes; otherwise a kernel ``(..., in, out)`` has
    ``fan_in = in * receptive_field`` and ``fan_out = out * receptive_field``.

    Example:
        >>> compute_fans((3, 3, 16, 32))
        (144, 288)
        >>> compute_fans((4, 5, 6), input_axes=(0,), output_axes=(1, 2))
        (4, 30)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return math.prod(shape[a] for a in input_axes), math.prod(shape[a] for a in output_axes)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def _check_seed(owner: str, seed: Any) -> int | None:
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise ValueError(f"{owner}: seed must be an int or None; received seed={seed!r}.")
    return seed


class Initializer:
    """Base class: ``initializer(shape, dtype=None, device=None) -> torch.Tensor``.

    Subclasses implement ``fill_(tensor)``, filling a tensor in place; the base class
    allocates it (honouring ``dtype`` and ``device``) and applies the seed.
    """

    seed: int | None = None

    def __call__(
        self, shape: tuple[int, ...], dtype: torch.dtype | None = None, device: torch.device | str | None = None
    ) -> torch.Tensor:
        dtype = dtype or config.floatx_dtype()
        tensor = torch.empty(tuple(shape), dtype=dtype, device=device)
        if tensor.is_meta:
            return tensor
        with torch.no_grad():
            if self.seed is None:
                self.fill_(tensor)
            else:
                # A seeded initializer draws on the CPU so the same seed gives the same
                # values on every device, then copies the result over.
                cpu = torch.empty(tensor.shape, dtype=dtype)
                with torch.random.fork_rng(devices=[]):
                    torch.manual_seed(self.seed)
                    self.fill_(cpu)
                tensor.copy_(cpu)
        return tensor

    def fill_(self, tensor: torch.Tensor) -> None:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as plain data."""
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Initializer:
        return cls(**config)


class Zeros(Initializer):
    """All zeros."""

    def fill_(self, tensor: torch.Tensor) -> None:
        tensor.zero_()


class Ones(Initializer):
    """All ones."""

    def fill_(self, tensor: torch.Tensor) -> None:
        tensor.fill_(1.0)


class Constant(Initializer):
    """A constant ``value``."""

    def __init__(self, value: float = 0.0) -> None:
        self.value = float(value)

    def fill_(self, tensor: torch.Tensor) -> None:
        tensor.fill_(self.value)

    def get_config(self) -> dict[str, Any]:
        return {"value": self.value}


class RandomNormal(Initializer):
    """Normal with ``mean`` and ``stddev`` (Keras defaults 0.0 and 0.05)."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None) -> None:
        self.mean, self.stddev, self.seed = mean, stddev, _check_seed("RandomNormal", seed)

    def fill_(self, tensor: torch.Tensor) -> None:
        tensor.normal_(self.mean, self.stddev)

    def get_config(self) -> dict[str, Any]:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(Initializer):
    """Uniform on ``[minval, maxval)`` (Keras defaults -0.05 and 0.05)."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None) -> None:
        self.minval, self.maxval, self.seed = minval, maxval, _check_seed("RandomUniform", seed)

    def fill_(self, tensor: torch.Tensor) -> None:
        tensor.uniform_(self.minval, self.maxval)

    def get_config(self) -> dict[str, Any]:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class TruncatedNormal(Initializer):
    """Normal with ``mean``/``stddev``, redrawn outside two standard deviations."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None) -> None:
        self.mean, self.stddev, self.seed = mean, stddev, _check_seed("TruncatedNormal", seed)

    def fill_(self, tensor: torch.Tensor) -> None:
        torch.nn.init.trunc_normal_(
            tensor, self.mean, self.stddev, self.mean - 2 * self.stddev, self.mean + 2 * self.stddev
        )

    def get_config(self) -> dict[str, Any]:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class VarianceScaling(Initializer):
    """Scales the variance by the fans: ``stddev = sqrt(scale / n)``.

    Args:
        scale: positive scaling factor.
        mode: ``'fan_in'``, ``'fan_out'`` or ``'fan_avg'``, which fan ``n`` is.
        distribution: ``'truncated_normal'`` (``'normal'`` is an alias),
            ``'untruncated_normal'`` or ``'uniform'``.
        seed: optional integer seed.
        input_axes: optional axes whose sizes multiply to ``fan_in`` (with
            ``output_axes``), for kernels that are not ``(..., in, out)``.
        output_axes: optional axes whose sizes multiply to ``fan_out``.
    """

    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: int | None = None,
        input_axes: list[int] | None = None,
        output_axes: list[int] | None = None,
    ) -> None:
        if scale <= 0:
            raise ValueError(f"VarianceScaling: scale must be positive; received scale={scale}.")
        if mode not in self._MODES:
            raise ValueError(f"VarianceScaling: mode must be one of {self._MODES}; received mode={mode!r}.")
        standardized = distribution.lower() if isinstance(distribution, str) else distribution
        standardized = "truncated_normal" if standardized == "normal" else standardized
        if standardized not in self._DISTRIBUTIONS:
            raise ValueError(
                f"VarianceScaling: distribution must be one of {self._DISTRIBUTIONS} (or 'normal'); "
                f"received distribution={distribution!r}."
            )
        self.scale, self.mode, self.distribution = scale, mode, standardized
        self.seed = _check_seed(type(self).__name__, seed)
        self.input_axes = list(input_axes) if input_axes is not None else None
        self.output_axes = list(output_axes) if output_axes is not None else None

    def fill_(self, tensor: torch.Tensor) -> None:
        fan_in, fan_out = compute_fans(tuple(tensor.shape), self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            tensor.uniform_(-limit, limit)
        elif self.distribution == "untruncated_normal":
            tensor.normal_(0.0, math.sqrt(variance))
        else:
            # 0.879... is the stddev of a unit normal truncated to [-2, 2] (Keras' constant).
            stddev = math.sqrt(variance) / 0.87962566103423978
            torch.nn.init.trunc_normal_(tensor, 0.0, stddev, -2 * stddev, 2 * stddev)

    def get_config(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "seed": self.seed,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


def _variance_scaling_preset(name: str, scale: float, mode: str, distribution: str) -> type[VarianceScaling]:
    """Builds the named presets (GlorotUniform, HeNormal, ...) of VarianceScaling."""

    def __init__(
        self: VarianceScaling,
        seed: int | None = None,
        input_axes: list[int] | None = None,
        output_axes: list[int] | None = None,
    ) -> None:
        VarianceScaling.__init__(
            self,
            scale=scale,
            mode=mode,
            distribution=distribution,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self: VarianceScaling) -> dict[str, Any]:
        return {"seed": self.seed, "input_axes": self.input_axes, "output_axes": self.output_axes}

    doc = f"``VarianceScaling(scale={scale}, mode={mode!r}, distribution={distribution!r})``."
    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config, "__doc__": doc})


GlorotUniform = _variance_scaling_preset("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _variance_scaling_preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeUniform = _variance_scaling_preset("HeUniform", 2.0, "fan_in", "uniform")
HeNormal = _variance_scaling_preset("HeNormal", 2.0, "fan_in", "truncated_normal")
LecunUniform = _variance_scaling_preset("LecunUniform", 1.0, "fan_in", "uniform")
LecunNormal = _variance_scaling_preset("LecunNormal", 1.0, "fan_in", "truncated_normal")


class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix times ``gain``, flattened over all but the last axis."""

    def __init__(self, gain: float = 1.0, seed: int | None = None) -> None:
        self.gain, self.seed = gain, _check_seed("Orthogonal", seed)

    def fill_(self, tensor: torch.Tensor) -> None:
        # Keras flattens to (prod(shape[:-1]), shape[-1]); torch's orthogonal_ flattens to
        # (shape[0], prod(shape[1:])), so orthogonalise the Keras view.
        if tensor.ndim < 2:
            raise ValueError(f"Orthogonal: needs a shape of rank >= 2; received shape {tuple(tensor.shape)}.")
        flat = torch.empty(tensor.shape[-1], math.prod(tensor.shape[:-1]), dtype=tensor.dtype)
        torch.nn.init.orthogonal_(flat, gain=self.gain)
        tensor.copy_(flat.t().reshape(tensor.shape))

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """``gain`` times the identity matrix (2D shapes only)."""

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = gain

    def fill_(self, tensor: torch.Tensor) -> None:
        if tensor.ndim != 2:
            raise ValueError(f"Identity: needs a 2D shape; received shape {tuple(tensor.shape)}.")
        torch.nn.init.eye_(tensor)
        tensor.mul_(self.gain)

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain}


#: Window names STFT builds with ``torch.signal.windows`` (the same values as SciPy's ``get_window``).
_STFT_WINDOWS = ("hann", "hamming", "blackman", "bartlett", "cosine", "nuttall", "boxcar")


def named_window(
    name: str, length: int, periodic: bool, dtype: torch.dtype, device: torch.device | None = None
) -> torch.Tensor:
    """The window SciPy's ``get_window(name, length, fftbins=periodic)`` gives, for the names in ``_STFT_WINDOWS``.

    Shared by the ``STFT`` initializer (``STFTSpectrogram``) and ``ops.stft`` / ``ops.istft``.
    """
    if name == "boxcar":
        return torch.ones(length, dtype=dtype, device=device)
    make = getattr(torch.signal.windows, name)
    return make(length, sym=not periodic, dtype=dtype, device=device)


class STFT(Initializer):
    """Kernel of a short-time Fourier transform: windowed cosines (``side='real'``) or sines.

    Use it for a ``Conv1D`` whose kernel ``(frame_length, input_channels,
    fft_length)`` computes STFT coefficients, as Keras' ``STFTSpectrogram`` does.
    Entry ``(t, c, f)`` is ``cos(-2 pi t f / (2 (fft_length - 1)))`` (or ``sin``), times
    the window, divided by the window's scaling.

    Args:
        side: ``'real'`` (cosines, default) or ``'imag'`` (sines).
        window: ``'hann'`` (default), ``'hamming'``, ``'blackman'``, ``'bartlett'``,
            ``'cosine'``, ``'nuttall'``, ``'boxcar'``, a sequence of ``frame_length``
            floats, or ``None`` (no window).
        scaling: ``'density'`` (default, divide by ``sqrt(sum(window ** 2))``),
            ``'spectrum'`` (divide by ``sum(|window|)``) or ``None``.
        periodic: whether the named window is periodic (``True``) or symmetric
            (``False``, default), as SciPy's ``get_window(..., fftbins=periodic)``.

    Example:
        >>> kernel = STFT(window=None)((4, 1, 3))
        >>> tuple(kernel.shape), kernel[:, 0, 0].tolist()  # frequency 0: all ones
        ((4, 1, 3), [1.0, 1.0, 1.0, 1.0])
    """

    def __init__(
        self, side: str = "real", window: Any = "hann", scaling: str | None = "density", periodic: bool = False
    ) -> None:
        if side not in ("real", "imag"):
            raise ValueError(f"STFT: side must be 'real' or 'imag'; received side={side!r}.")
        if isinstance(window, str) and window not in _STFT_WINDOWS:
            raise ValueError(f"STFT: window must be one of {_STFT_WINDOWS}, a sequence or None; received {window!r}.")
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(f"STFT: scaling must be None, 'density' or 'spectrum'; received scaling={scaling!r}.")
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, bool(periodic)

    def fill_(self, tensor: torch.Tensor) -> None:
        if tensor.ndim != 3:
            raise ValueError(
                "STFT: needs a shape (frame_length, input_channels, fft_length); received shape "
                f"{tuple(tensor.shape)}."
            )
        frame_length, _, fft_length = tensor.shape
        dtype = torch.float64  # computed in double, then cast to the weight's dtype
        frequency = torch.arange(fft_length, dtype=dtype).reshape(1, 1, fft_length) / ((fft_length - 1) * 2)
        time = torch.arange(frame_length, dtype=dtype).reshape(frame_length, 1, 1)
        angle = -2 * time * frequency * math.pi  # (frame_length, 1, fft_length)
        kernel = torch.cos(angle) if self.side == "real" else torch.sin(angle)
        window = self._window(frame_length, dtype)
        if window is not None:
            window = window.reshape(frame_length, 1, 1)
            scaling = 1.0
            if self.scaling == "density":
                scaling = window.square().sum().sqrt()
            elif self.scaling == "spectrum":
                scaling = window.abs().sum()
            kernel = kernel * window / scaling
        tensor.copy_(kernel.expand(tensor.shape))

    def _window(self, frame_length: int, dtype: torch.dtype) -> torch.Tensor | None:
        if self.window is None:
            return None
        if isinstance(self.window, str):
            return named_window(self.window, frame_length, self.periodic, dtype)
        window = torch.as_tensor(self.window, dtype=dtype)
        if window.shape != (frame_length,):
            raise ValueError(
                f"STFT: the window must have shape (frame_length,) = ({frame_length},); received shape "
                f"{tuple(window.shape)}."
            )
        return window

    def get_config(self) -> dict[str, Any]:
        window = self.window if self.window is None or isinstance(self.window, str) else list(self.window)
        return {"side": self.side, "window": window, "scaling": self.scaling, "periodic": self.periodic}
