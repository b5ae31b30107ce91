"""``STFTSpectrogram``: a short-time Fourier transform as a 1D convolution with trainable DFT kernels."""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from fitorch import config
from fitorch.initializers.initializers import _STFT_WINDOWS, STFT
from fitorch.layers.convolutional.padding import same_padding
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


def _positive_int(owner: str, name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{owner}: {name} must be a positive int; received {name}={value!r}.")
    return value


class STFTSpectrogram(Layer):
    """The spectrogram of multi-channel signals, as a convolution whose kernels start as a windowed DFT.

    Frames of ``frame_length`` samples, ``frame_step`` apart, are multiplied by the
    window and transformed; the kernels (``real_kernel``, ``imag_kernel``, made by the
    ``STFT`` initializer) are ordinary trainable weights, so the transform can be
    fine-tuned. Use it as the first layer of an audio model on raw waveforms.

    Args:
        mode: what to output: ``'log'`` (default, log magnitude), ``'magnitude'``, ``'psd'``
            (power spectral density), ``'real'``, ``'imag'``, ``'angle'`` (phase) or ``'stft'``
            (real and imaginary parts, concatenated along the frequency axis).
        frame_length: the window length in samples (default 256).
        frame_step: the step between frames, at most ``frame_length``; ``None`` (default)
            means ``frame_length // 2``.
        fft_length: the FFT size, at least ``frame_length``; ``None`` (default) means the
            next power of two. ``fft_length // 2 + 1`` frequency bins come out.
        window: ``'hann'`` (default), ``'hamming'``, ``'blackman'``, ``'bartlett'``,
            ``'cosine'``, ``'nuttall'``, ``'boxcar'``, a list of ``frame_length`` weights, or
            ``None``.
        periodic: use the periodic form of the named window (default ``False``: symmetric).
        scaling: ``'density'`` (default), ``'spectrum'`` or ``None``: what the window is
            normalized by (see the ``STFT`` initializer).
        padding: ``'valid'`` (default) or ``'same'``, as for a convolution.
        expand_dims: keep the channels on their own axis instead of merging them with the
            frequencies (default ``False``).
        data_format: ``'channels_last'`` (``(batch, time, channels)``, the default) or
            ``'channels_first'``.

    Call arguments:
        inputs: a float16/32/64 tensor of shape ``(batch, time, channels)`` (channels_last).

    Input shape:
        ``(batch, time, channels)``, or ``(batch, channels, time)`` for channels_first.

    Output shape:
        channels_last: ``(batch, frames, channels * bins)``, or ``(batch, frames, bins, channels)``
        with ``expand_dims``; channels_first: ``(batch, channels * bins, frames)``, or
        ``(batch, channels, frames, bins)``. ``bins`` is ``fft_length // 2 + 1`` (twice that for
        ``mode='stft'``).

    Example:
        >>> import torch
        >>> from fitorch.layers import STFTSpectrogram
        >>> layer = STFTSpectrogram(mode="magnitude", frame_length=64, frame_step=32)
        >>> layer(torch.randn(2, 1024, 1)).shape
        torch.Size([2, 31, 33])
    """

    def __init__(
        self,
        mode: str = "log",
        frame_length: int = 256,
        frame_step: int | None = None,
        fft_length: int | None = None,
        window: Any = "hann",
        periodic: bool = False,
        scaling: str | None = "density",
        padding: str = "valid",
        expand_dims: bool = False,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = f"STFTSpectrogram {self.name!r}"
        self.frame_length = _positive_int(owner, "frame_length", frame_length)
        if frame_step is not None and not (isinstance(frame_step, int) and 1 <= frame_step <= frame_length):
            raise ValueError(f"{owner}: frame_step must be a positive int not greater than frame_length "
                             f"({frame_length}); received frame_step={frame_step!r}.")  # fmt: skip
        if fft_length is not None and _positive_int(owner, "fft_length", fft_length) < frame_length:
            raise ValueError(f"{owner}: fft_length must be at least frame_length ({frame_length}); "
                             f"received fft_length={fft_length}.")  # fmt: skip
        if mode not in _MODES:
            raise ValueError(f"{owner}: mode must be one of {_MODES}; received mode={mode!r}.")
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(f"{owner}: scaling must be None, 'density' or 'spectrum'; received scaling={scaling!r}.")
        if padding not in ("valid", "same"):
            raise ValueError(f"{owner}: padding must be 'valid' or 'same'; received padding={padding!r}.")
        if isinstance(window, str) and window not in _STFT_WINDOWS:
            raise ValueError(f"{owner}: window must be one of {_STFT_WINDOWS}, a list of frame_length weights or "
                             f"None; received window={window!r}.")  # fmt: skip
        if not (window is None or isinstance(window, str)):
            window = torch.as_tensor(window, dtype=torch.float64).reshape(-1).tolist()
            if len(window) != frame_length:
                raise ValueError(f"{owner}: window must hold frame_length ({frame_length}) weights; "
                                 f"received {len(window)}.")  # fmt: skip
        self.mode, self.frame_step, self.fft_length = mode, frame_step, fft_length
        self.window, self.periodic, self.scaling, self.padding = window, bool(periodic), scaling, padding
        self.expand_dims = bool(expand_dims)
        self.data_format = config.standardize_data_format(data_format)
        self._frame_step = frame_step or frame_length // 2
        self._fft_length = fft_length or 2 ** math.ceil(math.log2(frame_length))
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        # Torch conv1d layout (bins, 1, frame_length); Keras' is (frame_length, 1, bins).
        shape = (self._fft_length // 2 + 1, 1, self.frame_length)
        if self.mode != "imag":
            initializer = STFT("real", self.window, self.scaling, self.periodic)
            self.add_weight("real_kernel", shape, initializer, keras_axes=(2, 1, 0))
        if self.mode != "real":
            initializer = STFT("imag", self.window, self.scaling, self.periodic)
            self.add_weight("imag_kernel", shape, initializer, keras_axes=(2, 1, 0))

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if inputs.dtype not in (torch.float16, torch.float32, torch.float64):
            raise TypeError(f"STFTSpectrogram {self.name!r}: inputs must be float16, float32 or float64; "
                            f"received {inputs.dtype}.")  # fmt: skip
        # (B, T, C) or (B, C, T) -> (B * C, 1, T): each channel is transformed alone.
        signals = inputs.transpose(1, 2) if self.data_format == "channels_last" else inputs
        batch, channels, samples = signals.shape
        signals = signals.reshape(batch * channels, 1, samples)
        if self.padding == "same":
            signals = F.pad(signals, same_padding(samples, self.frame_length, self._frame_step))
        kernels = [getattr(self, f"{side}_kernel") for side in ("real", "imag") if hasattr(self, f"{side}_kernel")]
        # One convolution for both kernels: (B * C, 1, T) -> (B, C, kernels * bins, frames).
        spectra = F.conv1d(signals, torch.cat(kernels).to(signals.dtype), stride=self._frame_step)
        spectra = spectra.reshape(batch, channels, spectra.shape[1], spectra.shape[2])
        if self.mode in ("real", "imag", "stft"):
            return self._arrange(spectra)
        real, imag = spectra.chunk(2, dim=2)
        if self.mode == "angle":
            return self._arrange(torch.atan2(imag, real))
        power = real.square() + imag.square()
        if self.mode == "psd":
            # One-sided density: every bin but the first and the last counts twice.
            return self._arrange(power + F.pad(power[:, :, 1:-1], (0, 0, 1, 1)))
        epsilon = config.epsilon()
        magnitude = self._arrange(power.clamp_min(epsilon).sqrt())
        return magnitude if self.mode == "magnitude" else magnitude.clamp_min(epsilon).log()

    def _arrange(self, spectra: torch.Tensor) -> torch.Tensor:
        """(B, C, bins, frames) -> the output layout of ``data_format`` and ``expand_dims``."""
        batch, channels, bins, frames = spectra.shape
        if self.expand_dims:
            return spectra.permute(0, 3, 2, 1) if self.data_format == "channels_last" else spectra.transpose(2, 3)
        merged = spectra.reshape(batch, channels * bins, frames)
        return merged.transpose(1, 2) if self.data_format == "channels_last" else merged

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        batch = input_shape[0]
        channels, samples = (input_shape[2], input_shape[1]) if self.data_format == "channels_last" else input_shape[1:]
        bins = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        frames = None
        if samples is not None:
            if self.padding == "same":
                frames = -(-samples // self._frame_step)
            else:
                frames = (samples - self.frame_length) // self._frame_step + 1
        merged = None if channels is None else channels * bins
        if self.data_format == "channels_last":
            return (batch, frames, bins, channels) if self.expand_dims else (batch, frames, merged)
        return (batch, channels, frames, bins) if self.expand_dims else (batch, merged, frames)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "mode": self.mode,
            "frame_length": self.frame_length,
            "frame_step": self.frame_step,
            "fft_length": self.fft_length,
            "window": self.window,
            "periodic": self.periodic,
            "scaling": self.scaling,
            "padding": self.padding,
            "data_format": self.data_format,
            "expand_dims": self.expand_dims,
        }
