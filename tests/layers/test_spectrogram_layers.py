"""STFTSpectrogram and MelSpectrogram against Keras' layers (torch backend)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from fitorch import layers
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

STFT_CASES = [
    {"mode": "log", "frame_length": 32, "frame_step": 8},
    {"mode": "magnitude", "frame_length": 20, "fft_length": 32, "padding": "same", "window": "hamming"},
    {"mode": "psd", "frame_length": 16, "frame_step": 5, "periodic": True, "scaling": "spectrum"},
    {"mode": "real", "frame_length": 16, "window": "blackman", "expand_dims": True},
    {"mode": "imag", "frame_length": 16, "data_format": "channels_first", "scaling": None},
    {"mode": "angle", "frame_length": 16, "window": None, "data_format": "channels_first", "expand_dims": True},
    {"mode": "stft", "frame_length": 12, "frame_step": 4, "window": "bartlett", "padding": "same"},
]


@pytest.mark.parametrize("kwargs", STFT_CASES, ids=lambda k: k["mode"])
def test_stft_spectrogram_matches_keras(kwargs) -> None:
    shape = (2, 3, 70) if kwargs.get("data_format") == "channels_first" else (2, 70, 3)
    layer = run_layer_test(
        lambda: layers.STFTSpectrogram(**kwargs), shape, lambda: keras().layers.STFTSpectrogram(**kwargs), atol=1e-4
    )
    # The initial kernels (fitorch's STFT initializer, in float64) equal Keras' (SciPy's windows, float32).
    keras_layer = keras().layers.STFTSpectrogram(**kwargs)
    keras_layer.build(shape)
    fresh = layers.STFTSpectrogram(**kwargs)
    fresh.build(shape)
    for ours, theirs in zip(fresh.get_weights(), keras_layer.get_weights(), strict=True):
        np.testing.assert_allclose(ours, to_numpy(theirs), rtol=1e-5, atol=1e-5)
    assert [w.shape for w in layer.get_weights()] == [tuple(w.shape) for w in keras_layer.get_weights()]


def test_stft_spectrogram_of_a_given_window_and_its_config() -> None:
    window = np.linspace(0.5, 1.0, 16).tolist()
    layer = layers.STFTSpectrogram(mode="magnitude", frame_length=16, window=window)
    config = layer.get_config()
    assert config["window"] == window and config["frame_step"] is None
    x = make_input((1, 40, 1))
    expected = keras().layers.STFTSpectrogram(mode="magnitude", frame_length=16, window=window)(x)
    np.testing.assert_allclose(to_numpy(layer(torch.from_numpy(x))), to_numpy(expected), rtol=1e-4, atol=1e-5)
    assert layers.STFTSpectrogram.from_config(config).get_config() == config


def test_stft_spectrogram_errors_name_the_layer() -> None:
    with pytest.raises(ValueError, match=r"STFTSpectrogram 's': frame_step must be a positive int not greater"):
        layers.STFTSpectrogram(frame_length=8, frame_step=9, name="s")
    with pytest.raises(ValueError, match=r"fft_length must be at least frame_length \(8\)"):
        layers.STFTSpectrogram(frame_length=8, fft_length=4)
    with pytest.raises(ValueError, match="mode must be one of"):
        layers.STFTSpectrogram(mode="power")
    with pytest.raises(ValueError, match="window must be one of"):
        layers.STFTSpectrogram(window="kaiser")
    with pytest.raises(ValueError, match=r"window must hold frame_length \(8\) weights; received 3"):
        layers.STFTSpectrogram(frame_length=8, window=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        layers.STFTSpectrogram(padding="causal")
    with pytest.raises(TypeError, match="inputs must be float16, float32 or float64; received torch.int32"):
        layers.STFTSpectrogram(frame_length=4)(torch.ones(1, 8, 1, dtype=torch.int32))


MEL_CASES = [
    {"fft_length": 64, "sequence_stride": 16, "num_mel_bins": 10, "sampling_rate": 8000},
    {"fft_length": 64, "sequence_stride": 20, "sequence_length": 48, "window": "hamming", "num_mel_bins": 12,
     "min_freq": 100.0, "max_freq": 3000.0, "power_to_db": False, "mag_exp": 1.0},
    {"fft_length": 32, "sequence_stride": 8, "num_mel_bins": 8, "top_db": 20.0, "ref_power": 2.0, "window": None},
]  # fmt: skip


@pytest.mark.parametrize("kwargs", MEL_CASES, ids=range(len(MEL_CASES)))
def test_mel_spectrogram_matches_keras(kwargs) -> None:
    run_layer_test(lambda: layers.MelSpectrogram(**kwargs), (2, 200), lambda: keras().layers.MelSpectrogram(**kwargs),
                   atol=1e-4)  # fmt: skip


def test_mel_spectrogram_of_one_signal_and_float64() -> None:
    signal = make_input((300,), "float64")
    layer = layers.MelSpectrogram(fft_length=64, sequence_stride=32, num_mel_bins=6)
    result = layer(torch.from_numpy(signal))
    expected = keras().layers.MelSpectrogram(fft_length=64, sequence_stride=32, num_mel_bins=6, dtype="float64")(signal)
    assert result.dtype == torch.float64 and result.shape == (6, 1 + 300 // 32)
    # The mel filters are float32 in both (Keras' choice); they round differently in the last bit.
    np.testing.assert_allclose(result.numpy(), to_numpy(expected), rtol=1e-5, atol=1e-5)
    assert layer.compute_output_shape((None, 300)) == (None, 6, 10)


def test_mel_spectrogram_with_given_window_weights_matches_keras() -> None:
    window = np.linspace(0.2, 1.0, 32).tolist()
    layer = layers.MelSpectrogram(fft_length=32, sequence_stride=8, num_mel_bins=6, window=window)
    assert layers.MelSpectrogram.from_config(layer.get_config()).get_config() == layer.get_config()
    x = make_input((2, 100))
    expected = keras().layers.MelSpectrogram(fft_length=32, sequence_stride=8, num_mel_bins=6, window=np.array(window))
    np.testing.assert_allclose(layer(torch.from_numpy(x)).numpy(), to_numpy(expected(x)), rtol=1e-4, atol=1e-4)


def test_mel_spectrogram_errors_name_the_layer() -> None:
    with pytest.raises(ValueError, match=r"MelSpectrogram 'm': fft_length \(16\) must be at least sequence_length"):
        layers.MelSpectrogram(fft_length=16, sequence_length=32, name="m")
    with pytest.raises(ValueError, match="sequence_stride must be a positive int"):
        layers.MelSpectrogram(sequence_stride=0)
    with pytest.raises(ValueError, match="MelSpectrogram '.*': window must be 'hann', 'hamming', a list"):
        layers.MelSpectrogram(window="blackman")
    with pytest.raises(ValueError, match=r"window must hold sequence_length \(64\) weights; received 3"):
        layers.MelSpectrogram(fft_length=64, window=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="expected 0 <= min_freq < max_freq"):
        layers.MelSpectrogram(min_freq=9000.0)
