"""``audio_dataset_from_directory``: a folder of class subfolders of ``.wav`` files as batches of waveforms.

WAV files are decoded with Python's standard-library ``wave`` module when a batch is
read, so a large folder costs no memory up front and no audio library is needed.
"""

from __future__ import annotations

import functools
import os
import wave
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch.nn.utils.rnn import pad_sequence

from fitorch.utils import dataset_utils

_CALLER = "audio_dataset_from_directory"
ALLOWED_FORMATS = (".wav",)
# PCM sample width in bytes -> the value that full scale maps to (8-bit WAV is unsigned, centred on 128).
_FULL_SCALE = {1: 2.0**7, 2: 2.0**15, 3: 2.0**23, 4: 2.0**31}


def read_wav(path: str, output_sequence_length: int | None = None) -> tuple[np.ndarray, int]:
    """The PCM samples of a WAV file as ``float32`` in ``[-1, 1]``, shape ``(samples, channels)``, and its rate.

    As TensorFlow's ``decode_wav``: an integer sample ``s`` of ``b`` bits becomes
    ``s / 2**(b - 1)`` (8-bit files, which are unsigned, first subtract 128), and with
    ``output_sequence_length`` the audio is cut or zero-padded to that many samples.

    Args:
        path: the ``.wav`` file (8, 16, 24 or 32-bit integer PCM, any number of channels).
        output_sequence_length: the number of samples to return; ``None`` keeps them all.

    Returns:
        ``(audio, sampling_rate)``.

    Raises:
        ValueError: for a file that is not integer-PCM WAV.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "a.wav")
        >>> with wave.open(path, "wb") as f:
        ...     f.setnchannels(1); f.setsampwidth(2); f.setframerate(8000)
        ...     f.writeframes(np.array([0, 16384, -32768], dtype="<i2").tobytes())
        >>> audio, rate = read_wav(path, output_sequence_length=4)
        >>> audio[:, 0].tolist(), rate
        ([0.0, 0.5, -1.0, 0.0], 8000)
    """
    try:
        with wave.open(path, "rb") as file:
            channels, width, rate = file.getnchannels(), file.getsampwidth(), file.getframerate()
            frames = file.getnframes() if output_sequence_length is None else output_sequence_length
            data = file.readframes(frames)
    except (wave.Error, EOFError) as error:
        raise ValueError(
            f"{_CALLER}: cannot read {path!r} as integer-PCM WAV ({error}). Only 8/16/24/32-bit PCM files are "
            "read; float WAV is not, and WAVE_FORMAT_EXTENSIBLE headers need Python 3.12 or newer."
        ) from error
    if width not in _FULL_SCALE:
        raise ValueError(f"{_CALLER}: {path!r} has {8 * width}-bit samples; expected 8, 16, 24 or 32-bit PCM.")
    raw = np.frombuffer(data, dtype=np.uint8)
    raw = raw[: len(raw) - len(raw) % (width * channels)]  # a truncated last frame is dropped
    if width == 1:
        samples = raw.astype(np.float32) - 128.0
    elif width == 3:
        # Little-endian 24-bit: put the 3 bytes in the top of an int32, then shift back to keep the sign.
        padded = np.zeros((len(raw) // 3, 4), dtype=np.uint8)
        padded[:, 1:] = raw.reshape(-1, 3)
        samples = (padded.view("<i4")[:, 0] >> 8).astype(np.float32)
    else:
        samples = np.frombuffer(raw.tobytes(), dtype=f"<i{width}").astype(np.float32)
    audio = (samples / np.float32(_FULL_SCALE[width])).reshape(-1, channels)  # (samples, channels)
    if output_sequence_length is not None and len(audio) < output_sequence_length:
        audio = np.pad(audio, ((0, output_sequence_length - len(audio)), (0, 0)))
    return audio, rate


def _resampler() -> Any:
    try:
        import torchaudio.functional
    except ImportError as error:
        raise ImportError(
            f"{_CALLER}: sampling_rate resamples with torchaudio, which is not installed: pip install torchaudio. "
            "(Keras needs tensorflow-io for this argument.)"
        ) from error
    return torchaudio.functional.resample


class _AudioFiles(dataset_utils.LabeledFiles):
    """Sample ``i``: the waveform of ``paths[i]`` (``float32``, ``(samples, channels)``) and its encoded label."""

    def load(self, path: str) -> torch.Tensor:
        o = self.options
        audio, rate = read_wav(path, o["output_sequence_length"])
        waveform = torch.from_numpy(np.ascontiguousarray(audio))
        if o["sampling_rate"] is not None and o["sampling_rate"] != rate:
            # Keras resamples the decoded (and already cut) audio; torchaudio wants (channels, samples).
            waveform = _resampler()(waveform.T, rate, o["sampling_rate"]).T.contiguous()
        return waveform


def _collate(samples: list[Any], ragged: bool) -> Any:
    """Batches waveforms: zero-padded to the longest (Keras' ``padded_batch``), or a jagged nested tensor."""
    labeled = isinstance(samples[0], tuple)
    waves = [sample[0] for sample in samples] if labeled else samples
    if ragged:
        batch = torch.nested.nested_tensor(waves, layout=torch.jagged)  # (B, j, C)
    else:
        batch = pad_sequence(waves, batch_first=True)  # (B, max samples, C)
    if not labeled:
        return batch
    return batch, dataset_utils.collate([sample[1] for sample in samples])


def audio_dataset_from_directory(
    directory: str | os.PathLike[str],
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: Sequence[str] | None = None,
    batch_size: int | None = 32,
    sampling_rate: int | None = None,
    output_sequence_length: int | None = None,
    ragged: bool = False,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> dataset_utils.BatchedDataset | list[dataset_utils.BatchedDataset]:
    """Batches of waveforms from a directory of class subdirectories (Keras' ``audio_dataset_from_directory``).

    ``directory/yes/1.wav``, ``directory/no/2.wav`` ... give class names ``['no', 'yes']``
    and labels 0 and 1. Only ``.wav`` files are read. Arguments, file order, labels and
    splits are as in :func:`~fitorch.utils.image_dataset_from_directory`, so a ``seed``
    picks the same training and validation files as Keras. Samples are ``float32`` in
    ``[-1, 1]`` (a ``b``-bit sample ``s`` becomes ``s / 2**(b - 1)``, as TensorFlow's
    ``decode_wav``), of shape ``(samples, channels)``. TensorFlow reads only 16-bit
    files; 8, 24 and 32-bit integer PCM are read here too.

    Args:
        directory: the root folder.
        labels: ``'inferred'``, ``None``, or a list of int labels in sorted path order.
        label_mode: ``'int'``, ``'categorical'``, ``'binary'`` or ``None``.
        class_names: with ``labels='inferred'``, the subfolders to use, in label order.
        batch_size: waveforms per batch; ``None`` yields single waveforms.
        sampling_rate: resample every file to this rate (samples per second), with
            torchaudio (Keras uses tensorflow-io); ``None`` keeps each file's rate.
        output_sequence_length: cut or zero-pad every waveform to this many samples (of
            the file, before resampling, as Keras). ``None``: each batch is zero-padded
            to its longest waveform.
        ragged: batches are jagged ``torch.nested`` tensors ``(batch, None, channels)``
            instead of padded ones (Keras' ragged tensors). Not with ``output_sequence_length``.
        shuffle: shuffle the files (and each pass's order); otherwise sorted order.
        seed: seed for shuffling; required with ``validation_split`` and ``shuffle``.
        validation_split: fraction of the files kept for validation.
        subset: ``'training'``, ``'validation'`` or ``'both'`` (returns both).
        follow_links: follow symbolic links to subfolders.
        verbose: print how many files and classes were found.

    Returns:
        A ``BatchedDataset`` (a torch ``DataLoader`` with ``class_names``) yielding
        ``(audio, labels)``, ``audio`` ``float32`` of shape ``(batch, samples, channels)``
        (only ``audio`` when there are no labels); a list of two for ``subset='both'``.

    Raises:
        ValueError: for invalid arguments or unreadable files, as Keras.
        ImportError: with ``sampling_rate`` when torchaudio is not installed.

    Example:
        >>> import os, tempfile, wave
        >>> root = tempfile.mkdtemp()
        >>> for name, length in [("no", 3), ("yes", 5)]:
        ...     os.makedirs(os.path.join(root, name))
        ...     with wave.open(os.path.join(root, name, "a.wav"), "wb") as f:
        ...         f.setnchannels(2); f.setsampwidth(2); f.setframerate(16000)
        ...         f.writeframes(np.full((length, 2), 8192, dtype="<i2").tobytes())
        >>> ds = audio_dataset_from_directory(root, shuffle=False, verbose=False)
        >>> audio, labels = next(iter(ds))
        >>> tuple(audio.shape), audio[0, :, 0].tolist(), labels.tolist(), ds.class_names
        ((2, 5, 2), [0.25, 0.25, 0.25, 0.0, 0.0], [0, 1], ['no', 'yes'])
    """
    dataset_utils.check_labels_argument(labels, _CALLER)
    dataset_utils.check_label_mode(label_mode, labels, None, _CALLER)
    if output_sequence_length is not None and (
        isinstance(output_sequence_length, bool) or not isinstance(output_sequence_length, int)
        or output_sequence_length < 1
    ):  # fmt: skip
        raise ValueError(
            f"{_CALLER}: output_sequence_length must be a positive int or None; received {output_sequence_length!r}."
        )
    if ragged and output_sequence_length is not None:
        raise ValueError(
            f"{_CALLER}: pass ragged=True or output_sequence_length, not both; received "
            f"output_sequence_length={output_sequence_length}."
        )
    if sampling_rate is not None:
        if isinstance(sampling_rate, bool) or not isinstance(sampling_rate, int) or sampling_rate <= 0:
            raise ValueError(f"{_CALLER}: sampling_rate must be a positive int or None; received {sampling_rate!r}.")
        _resampler()
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    dataset_utils.check_validation_split(validation_split, subset, shuffle, seed, _CALLER)
    paths, label_array, names = dataset_utils.index_directory(
        directory, labels, ALLOWED_FORMATS, class_names, shuffle, seed, follow_links, verbose, _CALLER
    )
    dataset_utils.check_label_mode(label_mode, labels, names, _CALLER)
    num_val = int(validation_split * len(paths)) if validation_split else 0
    counts = {"training": len(paths) - num_val, "validation": num_val, None: len(paths)}
    for part in ("training", "validation") if subset == "both" else (subset,):
        if not counts[part]:
            raise ValueError(
                f"{_CALLER}: no audio files for {part or 'the dataset'} in {os.fspath(directory)!r} "
                f"({len(paths)} found, validation_split={validation_split}); allowed formats: {ALLOWED_FORMATS}."
            )
    options = {
        "output_sequence_length": output_sequence_length, "sampling_rate": sampling_rate,
        "label_mode": label_mode, "num_classes": len(names or []),
    }  # fmt: skip

    files = functools.partial(_AudioFiles, options=options)
    return dataset_utils.split_datasets(
        files,
        paths,
        label_array,
        names,
        validation_split,
        subset,
        batch_size,
        shuffle,
        seed,
        _CALLER,
        verbose,
        functools.partial(_collate, ragged=ragged),
    )
