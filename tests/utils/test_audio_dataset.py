"""audio_dataset_from_directory on WAV files written by the test.

Keras' own audio_dataset_from_directory needs TensorFlow (tf.audio.decode_wav), which is
not installed, so it cannot be the oracle for the samples. The oracles are: the integer
samples the test writes (with a RIFF header packed by hand with `struct`, independent of
the `wave` module fitorch reads with), scaled by TensorFlow's documented rule s / 2**(bits - 1);
and Keras 3's own file indexing (`keras.src.utils.dataset_utils`, pure Python) for which
files land in which split, with which label and in which order.
"""

import os
import struct
import sys

import numpy as np
import pytest
import torch
from keras.src.utils import dataset_utils as keras_dataset_utils

import fitorch
from fitorch import layers, utils

CLASSES = {"down": 4, "left": 3, "up": 5}


def write_wav(path, samples, width=2, rate=8000, format_tag=1):
    """Writes integer ``samples`` (frames, channels) as a PCM WAV file of ``width`` bytes per sample."""
    samples = np.asarray(samples)
    channels = samples.shape[1]
    if width == 1:
        data = (samples + 128).astype(np.uint8).tobytes()  # 8-bit WAV is unsigned
    elif width == 3:
        data = samples.astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    else:
        data = samples.astype(f"<i{width}").tobytes()
    fmt = struct.pack("<HHIIHH", format_tag, channels, rate, rate * channels * width, channels * width, 8 * width)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    with open(path, "wb") as file:
        file.write(b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks)


def write_classes(root, channels=1):
    """One WAV per sample, lengths 3..8; sample 0 of channel 0 holds the file's id (x 100). Returns {path: array}."""
    written, rng, next_id = {}, np.random.default_rng(0), 0
    for name, count in CLASSES.items():
        for index in range(count):
            folder = os.path.join(root, name, "nested") if index == 0 else os.path.join(root, name)
            os.makedirs(folder, exist_ok=True)
            samples = rng.integers(-3000, 3000, size=(3 + (next_id % 6), channels))
            samples[0, 0] = 100 * next_id
            path = os.path.join(folder, f"clip_{index}.wav")
            write_wav(path, samples)
            written[path] = samples / 2.0**15
            next_id += 1
    with open(os.path.join(root, "up", "notes.txt"), "w") as file:
        file.write("not audio")
    return written


def file_id(audio):
    return round(float(audio[0, 0]) * 2**15 / 100)


def pairs(dataset):
    return [
        (file_id(audio), int(label)) for batch, labels in dataset for audio, label in zip(batch, labels, strict=True)
    ]


@pytest.mark.parametrize("width", [1, 2, 3, 4])
@pytest.mark.parametrize("channels", [1, 3])
def test_pcm_widths_and_channels_scale_as_tensorflow(tmp_path, width, channels):
    bits = 8 * width
    rng = np.random.default_rng(width)
    samples = rng.integers(-(2 ** (bits - 1)), 2 ** (bits - 1), size=(50, channels), dtype=np.int64)
    samples[:2, 0] = [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1]  # both ends of the range
    write_wav(tmp_path / "a.wav", samples, width=width)
    ds = utils.audio_dataset_from_directory(tmp_path, labels=None, batch_size=None, shuffle=False, verbose=False)
    audio = next(iter(ds))
    assert audio.dtype == torch.float32 and audio.shape == (50, channels)
    expected = samples / 2.0 ** (bits - 1)
    np.testing.assert_allclose(audio.numpy(), expected, rtol=1e-6, atol=1e-7)
    assert audio.min() >= -1.0 and audio.max() <= 1.0  # 32-bit full scale rounds to 1.0 in float32


def test_files_labels_and_splits_match_keras(tmp_path):
    written = write_classes(str(tmp_path))
    ids = {path: file_id(audio) for path, audio in written.items()}
    train, val = utils.audio_dataset_from_directory(
        tmp_path, batch_size=4, validation_split=0.25, subset="both", seed=3, verbose=False
    )
    paths, labels, class_names = keras_dataset_utils.index_directory(
        str(tmp_path), "inferred", formats=(".wav",), shuffle=True, seed=3, verbose=False
    )
    assert train.class_names == val.class_names == class_names == ["down", "left", "up"]
    for ours, subset in ((train, "training"), (val, "validation")):
        k_paths, k_labels = keras_dataset_utils.get_training_or_validation_split(paths, labels, 0.25, subset)
        assert sorted(pairs(ours)) == sorted((ids[p], int(label)) for p, label in zip(k_paths, k_labels, strict=True))


def test_batches_are_zero_padded_to_their_longest_clip(tmp_path):
    written = write_classes(str(tmp_path), channels=2)
    ds = utils.audio_dataset_from_directory(tmp_path, shuffle=False, batch_size=5, verbose=False)
    paths, labels, _ = keras_dataset_utils.index_directory(
        str(tmp_path), "inferred", formats=(".wav",), shuffle=False, verbose=False
    )
    seen = 0
    for audio, batch_labels in ds:
        clips = [written[p] for p in paths[seen : seen + len(audio)]]
        assert audio.shape == (len(clips), max(len(c) for c in clips), 2)
        assert batch_labels.dtype == torch.int32
        assert batch_labels.tolist() == [int(label) for label in labels[seen : seen + len(audio)]]
        for row, clip in zip(audio, clips, strict=True):
            np.testing.assert_allclose(row[: len(clip)].numpy(), clip, rtol=1e-6)
            assert not row[len(clip) :].any()
        seen += len(audio)
    assert seen == 12


def test_output_sequence_length_cuts_and_pads(tmp_path):
    written = write_classes(str(tmp_path))
    ds = utils.audio_dataset_from_directory(
        tmp_path, output_sequence_length=5, shuffle=False, batch_size=12, label_mode="categorical", verbose=False
    )
    paths, labels, _ = keras_dataset_utils.index_directory(
        str(tmp_path), "inferred", formats=(".wav",), shuffle=False, verbose=False
    )
    audio, onehot = next(iter(ds))
    assert audio.shape == (12, 5, 1) and onehot.dtype == torch.float32
    np.testing.assert_array_equal(onehot.numpy(), utils.to_categorical(labels, 3))
    for row, path in zip(audio, paths, strict=True):
        expected = np.zeros((5, 1))
        expected[: min(5, len(written[path]))] = written[path][:5]
        np.testing.assert_allclose(row.numpy(), expected, rtol=1e-6)


def test_ragged_batches_are_nested_tensors(tmp_path):
    written = write_classes(str(tmp_path))
    ds = utils.audio_dataset_from_directory(tmp_path, ragged=True, shuffle=False, batch_size=4, verbose=False)
    paths, _, _ = keras_dataset_utils.index_directory(
        str(tmp_path), "inferred", formats=(".wav",), shuffle=False, verbose=False
    )
    audio, labels = next(iter(ds))
    assert audio.is_nested and labels.shape == (4,)
    for clip, path in zip(audio.unbind(), paths[:4], strict=True):
        np.testing.assert_allclose(clip.numpy(), written[path], rtol=1e-6)


def test_binary_labels_and_class_names(tmp_path):
    write_classes(str(tmp_path))
    ds = utils.audio_dataset_from_directory(
        tmp_path, label_mode="binary", class_names=["up", "down"], shuffle=False, batch_size=None, verbose=False
    )
    labels = [label.tolist() for _, label in ds]
    assert labels == [[0.0]] * 5 + [[1.0]] * 4 and ds.class_names == ["up", "down"]


def test_fit_trains_on_it(tmp_path):
    write_classes(str(tmp_path))
    torch.manual_seed(0)
    ds = utils.audio_dataset_from_directory(tmp_path, output_sequence_length=8, batch_size=4, seed=0, verbose=False)
    model = fitorch.Sequential([layers.Input(shape=(8, 1)), layers.Conv1D(4, 3), layers.GlobalAveragePooling1D(),
                                layers.Dense(3)])  # fmt: skip
    model.compile("adam", fitorch.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()


@pytest.mark.parametrize(
    "kwargs, message",
    [(dict(ragged=True, output_sequence_length=4), "pass ragged=True or output_sequence_length, not both"),
     (dict(output_sequence_length=0), "output_sequence_length must be a positive int"),
     (dict(sampling_rate=16000.0), "sampling_rate must be a positive int"),
     (dict(sampling_rate=0), "sampling_rate must be a positive int"),
     (dict(validation_split=0.2, subset="training"), "pass a seed"),
     (dict(validation_split=0.01, subset="validation", seed=1), "no audio files for validation"),
     (dict(label_mode="binary"), "label_mode='binary' needs exactly 2 classes; found 3"),
     (dict(labels=[0, 1]), "labels has 2 entries, but 12 files were found"),
     (dict(labels="folders"), "labels must be 'inferred', None, or a list")],
)  # fmt: skip
def test_errors(tmp_path, kwargs, message):
    write_classes(str(tmp_path))
    with pytest.raises(ValueError, match=message):
        utils.audio_dataset_from_directory(tmp_path, verbose=False, **kwargs)


def test_unreadable_files_and_empty_folders(tmp_path):
    with pytest.raises(ValueError, match="no audio files for the dataset"):
        utils.audio_dataset_from_directory(tmp_path, verbose=False)
    write_wav(tmp_path / "float.wav", np.zeros((4, 1)), width=4, format_tag=3)  # IEEE float WAV
    ds = utils.audio_dataset_from_directory(tmp_path, labels=None, verbose=False)
    with pytest.raises(ValueError, match="cannot read .*float.wav' as integer-PCM WAV"):
        next(iter(ds))


def test_sampling_rate_without_torchaudio_is_an_import_error(tmp_path, monkeypatch):
    write_classes(str(tmp_path))
    monkeypatch.setitem(sys.modules, "torchaudio", None)
    monkeypatch.setitem(sys.modules, "torchaudio.functional", None)
    with pytest.raises(ImportError, match="pip install torchaudio"):
        utils.audio_dataset_from_directory(tmp_path, sampling_rate=16000, verbose=False)


def test_sampling_rate_resamples(tmp_path):
    pytest.importorskip("torchaudio")
    t = np.arange(1600) / 16000
    write_wav(tmp_path / "tone.wav", np.round(8000 * np.sin(2 * np.pi * 200 * t))[:, None], rate=16000)
    ds = utils.audio_dataset_from_directory(tmp_path, labels=None, sampling_rate=8000, batch_size=None, verbose=False)
    audio = next(iter(ds))
    expected = 8000 / 2**15 * np.sin(2 * np.pi * 200 * np.arange(800) / 8000)
    assert audio.shape == (800, 1)
    np.testing.assert_allclose(audio[50:-50, 0].numpy(), expected[50:-50], atol=0.01)  # away from the edges
