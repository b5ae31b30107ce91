"""``MelSpectrogram``: the mel-scaled power spectrogram of audio signals, in decibels by default."""

from __future__ import annotations

import math
from typing import Any

import torch

from fitorch.layers.layer import Layer
from fitorch.ops.math import stft

# HTK's mel scale: mel(f) = 1127 * ln(1 + f / 700).
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies: torch.Tensor) -> torch.Tensor:
    return _MEL_HIGH_FREQUENCY_Q * torch.log(1.0 + frequencies / _MEL_BREAK_FREQUENCY_HERTZ)


def linear_to_mel_weight_matrix(
    num_mel_bins: int, num_spectrogram_bins: int, sampling_rate: float, lower_edge_hertz: float,
    upper_edge_hertz: float, dtype: torch.dtype = torch.float32, device: torch.device | None = None,
) -> torch.Tensor:  # fmt: skip
    """The ``(num_spectrogram_bins, num_mel_bins)`` matrix of triangular mel filters (peak 1), as TensorFlow's.

    Spectrogram bins are spaced evenly over ``[0, sampling_rate / 2]``; the filters' edges
    evenly, on the mel scale, over ``[lower_edge_hertz, upper_edge_hertz]``. The DC bin
    gets no weight (HTK).
    """
    # Built on the CPU (so also for meta-device models), then moved.
    linear = torch.linspace(0.0, sampling_rate / 2.0, num_spectrogram_bins, dtype=dtype)[1:]
    bins_mel = _hertz_to_mel(linear)[:, None]  # (bins - 1, 1)
    low, high = _hertz_to_mel(torch.tensor([lower_edge_hertz, upper_edge_hertz], dtype=dtype))
    # num_mel_bins (lower, center, upper) triples: each band's edges are its neighbours' centres.
    # (0-d tensor ends: torch.linspace then rounds as Keras' linspace does.)
    band_edges = torch.linspace(low, high, num_mel_bins + 2, dtype=dtype).unfold(0, 3, 1)
    lower, center, upper = (band_edges[:, i][None, :] for i in range(3))  # (1, num_mel_bins) each
    rising = (bins_mel - lower) / (center - lower)
    falling = (upper - bins_mel) / (upper - center)
    weights = torch.minimum(rising, falling).clamp_min(0.0)
    return torch.nn.functional.pad(weights, (0, 0, 1, 0)).to(device)  # the DC bin back, as a zero row


class MelSpectrogram(Layer):
    """The mel spectrogram of audio: STFT magnitudes to a power, warped onto mel bands, in decibels.

    Frames come from ``ops.stft`` (centred, reflect-padded); their magnitudes raised to
    ``mag_exp`` are summed by triangular mel filters between ``min_freq`` and
    ``max_freq``, then (with ``power_to_db``) turned into decibels relative to
    ``ref_power`` and clipped to ``top_db`` below the batch's maximum. It has no weights.

    Args:
        fft_length: the FFT size (default 2048).
        sequence_stride: the step between frames (default 512).
        sequence_length: the window length, at most ``fft_length``; ``None`` (default) means ``fft_length``.
        window: ``'hann'`` (default), ``'hamming'``, a 1D tensor of ``sequence_length`` weights, or ``None``.
        sampling_rate: the samples per second of the signal (default 16000).
        num_mel_bins: the number of mel bands (default 128).
        min_freq: the lowest frequency of the filters, in Hz (default 20.0).
        max_freq: the highest, in Hz; ``None`` (default) means ``sampling_rate / 2``.
        power_to_db: output decibels (default ``True``) rather than power.
        top_db: the range kept below the maximum, in dB (default 80.0).
        mag_exp: the power the magnitudes are raised to (default 2.0: power; 1.0: magnitude).
        min_power: the floor of the power before the logarithm (default 1e-10).
        ref_power: the power that is 0 dB (default 1.0).

    Call arguments:
        inputs: a float tensor of shape ``(batch, samples)`` or ``(samples,)``.

    Input shape:
        ``(batch, samples)`` or ``(samples,)``.

    Output shape:
        ``(batch, num_mel_bins, frames)`` (or without ``batch``), ``frames = 1 + samples // sequence_stride``.

    Example:
        >>> import torch
        >>> from fitorch.layers import MelSpectrogram
        >>> layer = MelSpectrogram(fft_length=256, sequence_stride=128, num_mel_bins=40)
        >>> layer(torch.randn(2, 1600)).shape
        torch.Size([2, 40, 13])
    """

    def __init__(
        self,
        fft_length: int = 2048,
        sequence_stride: int = 512,
        sequence_length: int | None = None,
        window: Any = "hann",
        sampling_rate: int = 16000,
        num_mel_bins: int = 128,
        min_freq: float = 20.0,
        max_freq: float | None = None,
        power_to_db: bool = True,
        top_db: float = 80.0,
        mag_exp: float = 2.0,
        min_power: float = 1e-10,
        ref_power: float = 1.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = f"MelSpectrogram {self.name!r}"
        sequence_length = sequence_length or fft_length
        for name, value in (("fft_length", fft_length), ("sequence_stride", sequence_stride),
                            ("sequence_length", sequence_length), ("num_mel_bins", num_mel_bins)):  # fmt: skip
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{owner}: {name} must be a positive int; received {name}={value!r}.")
        if fft_length < sequence_length:
            raise ValueError(f"{owner}: fft_length ({fft_length}) must be at least sequence_length "
                             f"({sequence_length}).")  # fmt: skip
        if not isinstance(sampling_rate, (int, float)) or sampling_rate <= 0:
            raise ValueError(f"{owner}: sampling_rate must be a positive number; received {sampling_rate!r}.")
        if isinstance(window, str) and window not in ("hann", "hamming"):
            raise ValueError(f"{owner}: window must be 'hann', 'hamming', a list of sequence_length weights or None; "
                             f"received window={window!r}.")  # fmt: skip
        if not (isinstance(window, str) or window is None):
            window = torch.as_tensor(window, dtype=torch.float64).reshape(-1).tolist()
            if len(window) != sequence_length:
                raise ValueError(f"{owner}: window must hold sequence_length ({sequence_length}) weights; "
                                 f"received {len(window)}.")  # fmt: skip
        self.fft_length, self.sequence_stride, self.sequence_length = fft_length, sequence_stride, sequence_length
        self.window, self.sampling_rate, self.num_mel_bins = window, sampling_rate, num_mel_bins
        self.min_freq, self.max_freq = min_freq, max_freq or int(sampling_rate / 2)
        if not 0 <= self.min_freq < self.max_freq:
            raise ValueError(f"{owner}: expected 0 <= min_freq < max_freq; received min_freq={min_freq!r}, "
                             f"max_freq={self.max_freq!r}.")  # fmt: skip
        self.power_to_db, self.top_db, self.mag_exp = power_to_db, top_db, mag_exp
        self.min_power, self.ref_power = min_power, ref_power

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # stft takes float32 and float64; other inputs are computed in float32.
        dtype = inputs.dtype if inputs.dtype in (torch.float32, torch.float64) else torch.float32
        window = self.window
        if isinstance(window, list):
            window = torch.tensor(window, dtype=dtype, device=inputs.device)
        # (..., samples) -> (..., frames, fft_length // 2 + 1)
        real, imag = stft(inputs.to(dtype), self.sequence_length, self.sequence_stride, self.fft_length,
                          window=window, center=True)  # fmt: skip
        spectrum = (real.square() + imag.square()).sqrt().pow(self.mag_exp)
        # The filters are computed in float32, as Keras does, then used in the signal's dtype.
        filters = linear_to_mel_weight_matrix(self.num_mel_bins, spectrum.shape[-1], self.sampling_rate,
                                              self.min_freq, self.max_freq, device=spectrum.device)  # fmt: skip
        mel = spectrum @ filters.to(dtype)  # (..., frames, num_mel_bins)
        if self.power_to_db:
            mel = 10.0 * torch.log10(mel.clamp_min(self.min_power))
            mel = mel - 10.0 * math.log10(max(abs(self.ref_power), self.min_power))
            # Clipped relative to the maximum of the whole batch, as Keras does.
            mel = torch.maximum(mel, mel.amax() - self.top_db)
        return mel.transpose(-1, -2)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        samples = input_shape[-1]
        frames = None if samples is None else 1 + samples // self.sequence_stride
        return (*input_shape[:-1], self.num_mel_bins, frames)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "fft_length": self.fft_length,
            "sequence_stride": self.sequence_stride,
            "sequence_length": self.sequence_length,
            "window": self.window,
            "sampling_rate": self.sampling_rate,
            "num_mel_bins": self.num_mel_bins,
            "min_freq": self.min_freq,
            "max_freq": self.max_freq,
            "power_to_db": self.power_to_db,
            "top_db": self.top_db,
            "mag_exp": self.mag_exp,
            "min_power": self.min_power,
            "ref_power": self.ref_power,
        }
