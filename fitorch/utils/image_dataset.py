"""``image_dataset_from_directory``: a folder of class subfolders as batches of images and labels.

Images are decoded with Pillow (installed with matplotlib, the ``[plot]`` extra)
when a batch is read, so a large folder costs no memory up front.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from fitorch import config
from fitorch.utils import dataset_utils

_CALLER = "image_dataset_from_directory"
ALLOWED_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": ("L", 1), "rgb": ("RGB", 3), "rgba": ("RGBA", 4)}
# Keras' interpolation names -> Pillow's resampling filters.
_RESAMPLING = {"nearest": "NEAREST", "bilinear": "BILINEAR", "bicubic": "BICUBIC", "area": "BOX", "lanczos3": "LANCZOS",
               "lanczos5": "LANCZOS"}  # fmt: skip


def _pillow() -> Any:
    try:
        from PIL import Image
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(f"{_CALLER} decodes images with Pillow: pip install 'fitorch[plot]'.") from error
    return Image


def _fit_aspect(image: Any, size: tuple[int, int], crop: bool, pad: bool) -> Any:
    """Centre-crops (or zero-pads) ``image`` to the aspect ratio of ``size`` = (height, width)."""
    width, height = image.size
    target_ratio = size[1] / size[0]
    if crop:
        crop_w, crop_h = min(width, round(height * target_ratio)), min(height, round(width / target_ratio))
        left, top = (width - crop_w) // 2, (height - crop_h) // 2
        return image.crop((left, top, left + crop_w, top + crop_h))
    if pad:
        pad_w, pad_h = max(width, round(height * target_ratio)), max(height, round(width / target_ratio))
        canvas = _pillow().new(image.mode, (pad_w, pad_h))
        canvas.paste(image, ((pad_w - width) // 2, (pad_h - height) // 2))
        return canvas
    return image


class _ImageFiles(dataset_utils.LabeledFiles):
    """Sample ``i``: the decoded, resized image ``paths[i]`` (``float32``, 0..255) and its encoded label."""

    def load(self, path: str) -> np.ndarray:
        image_module, o = _pillow(), self.options
        with image_module.open(path) as image:
            image = image.convert(o["mode"])
            image = _fit_aspect(image, o["image_size"], o["crop"], o["pad"])
            resampling = getattr(image_module.Resampling, _RESAMPLING[o["interpolation"]])
            image = image.resize((o["image_size"][1], o["image_size"][0]), resampling)
            array = np.asarray(image, dtype="float32").reshape(*o["image_size"], o["channels"])  # (H, W, C)
        return np.ascontiguousarray(array.transpose(2, 0, 1)) if o["channels_first"] else array


def image_dataset_from_directory(
    directory: str | os.PathLike[str],
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: Sequence[str] | None = None,
    color_mode: str = "rgb",
    batch_size: int | None = 32,
    image_size: tuple[int, int] = (256, 256),
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    interpolation: str = "bilinear",
    follow_links: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    data_format: str | None = None,
    verbose: bool = True,
) -> dataset_utils.BatchedDataset | list[dataset_utils.BatchedDataset]:
    """Batches of images from a directory of class subdirectories (Keras' ``image_dataset_from_directory``).

    ``directory/cat/1.png``, ``directory/dog/2.jpg`` ... give class names ``['cat', 'dog']``
    and labels 0 and 1. Files are listed and shuffled as Keras does, so a ``seed`` picks
    the same training and validation files as Keras.

    Args:
        directory: the root folder.
        labels: ``'inferred'`` (from the subfolders), ``None`` (images only), or a list of
            int labels, one per image in sorted path order.
        label_mode: ``'int'`` (``int32``), ``'categorical'`` (one-hot ``float32``), ``'binary'``
            (``float32`` of shape ``(1,)``, exactly 2 classes), or ``None`` (images only).
        class_names: with ``labels='inferred'``, the subfolders to use, in label order.
        color_mode: ``'grayscale'``, ``'rgb'`` or ``'rgba'`` (1, 3 or 4 channels).
        batch_size: images per batch; ``None`` yields single images.
        image_size: ``(height, width)`` every image is resized to.
        shuffle: shuffle the files (and each pass's order); otherwise sorted order.
        seed: seed for shuffling; required with ``validation_split`` and ``shuffle``.
        validation_split: fraction of the files kept for validation.
        subset: ``'training'``, ``'validation'``, or ``'both'`` (returns both).
        interpolation: ``'bilinear'``, ``'nearest'``, ``'bicubic'``, ``'area'``, ``'lanczos3'``
            or ``'lanczos5'`` (Pillow's filters; values differ slightly from TensorFlow's resize).
        follow_links: follow symbolic links to subfolders.
        crop_to_aspect_ratio: centre-crop to ``image_size``'s aspect ratio before resizing.
        pad_to_aspect_ratio: zero-pad to ``image_size``'s aspect ratio before resizing.
        data_format: ``'channels_last'`` (``(H, W, C)``) or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
        verbose: print how many files and classes were found.

    Returns:
        A ``BatchedDataset`` (a torch ``DataLoader`` with ``class_names``) yielding
        ``(images, labels)`` tensors, images ``float32`` in ``[0, 255]``; a list of two
        for ``subset='both'``.

    Raises:
        ValueError: for invalid arguments, as Keras.
        ImportError: without Pillow.
    """
    dataset_utils.check_labels_argument(labels, _CALLER)
    if color_mode not in _CHANNELS:
        raise ValueError(f"{_CALLER}: color_mode must be 'grayscale', 'rgb' or 'rgba'; received {color_mode!r}.")
    if interpolation not in _RESAMPLING:
        raise ValueError(f"{_CALLER}: interpolation must be one of {sorted(_RESAMPLING)}; received {interpolation!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(f"{_CALLER}: pass crop_to_aspect_ratio or pad_to_aspect_ratio, not both.")
    if len(tuple(image_size)) != 2 or not all(isinstance(s, int) and s > 0 for s in image_size):
        raise ValueError(f"{_CALLER}: image_size must be (height, width) positive ints; received {image_size!r}.")
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{_CALLER}: data_format must be 'channels_last' or 'channels_first'; received {data_format!r}."
        )
    dataset_utils.check_label_mode(label_mode, labels, None, _CALLER)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    dataset_utils.check_validation_split(validation_split, subset, shuffle, seed, _CALLER)
    _pillow()
    paths, label_array, names = dataset_utils.index_directory(
        directory, labels, ALLOWED_FORMATS, class_names, shuffle, seed, follow_links, verbose, _CALLER
    )
    dataset_utils.check_label_mode(label_mode, labels, names, _CALLER)
    if not paths:
        raise ValueError(f"{_CALLER}: no images found in {os.fspath(directory)!r}; allowed formats: {ALLOWED_FORMATS}.")
    mode, channels = _CHANNELS[color_mode]
    options = {
        "mode": mode, "channels": channels, "image_size": tuple(image_size), "interpolation": interpolation,
        "crop": crop_to_aspect_ratio, "pad": pad_to_aspect_ratio, "channels_first": data_format == "channels_first",
        "label_mode": label_mode, "num_classes": len(names or []),
    }  # fmt: skip

    files = functools.partial(_ImageFiles, options=options)
    return dataset_utils.split_datasets(
        files, paths, label_array, names, validation_split, subset, batch_size, shuffle, seed, _CALLER, verbose
    )
