"""What the ``*_dataset_from_*`` functions share: the batched loader they return, and directory indexing.

Every dataset function returns a :class:`BatchedDataset`, a torch ``DataLoader``
over a map-style ``Dataset`` of samples. ``model.fit`` takes it directly, and
iterating it yields ``(x, y)`` batches of tensors. With ``shuffle=True`` and a
``seed``, each pass has a new order and the sequence of orders repeats run after run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, default_collate


class BatchedDataset(DataLoader):
    """A ``DataLoader`` that also carries Keras' ``class_names`` (``None`` when there are no labels)."""

    class_names: list[str] | None = None

    def __repr__(self) -> str:
        return (
            f"<BatchedDataset of {len(self.dataset)} samples in batches of {self.batch_size}"
            + (f", classes {self.class_names}" if self.class_names else "")
            + ">"
        )


def collate(samples: list[Any]) -> Any:
    """Stacks samples into a batch: arrays become tensors, strings a list, ``(x, y)`` pairs a tuple."""
    first = samples[0]
    if isinstance(first, str):
        return list(samples)
    if isinstance(first, tuple):
        return tuple(collate(list(items)) for items in zip(*samples, strict=True))
    return default_collate(samples)


def batched(
    dataset: Dataset,
    batch_size: int | None,
    shuffle: bool,
    seed: int | None,
    caller: str,
    class_names: Sequence[str] | None = None,
    collate_fn: Callable[[list[Any]], Any] = collate,
) -> BatchedDataset:
    """``dataset`` in batches of ``batch_size`` (``None``: one sample at a time, as Keras' unbatched datasets).

    ``collate_fn`` stacks a list of samples into a batch (:func:`collate` unless given).
    """
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"{caller}: batch_size must be a positive int or None; received batch_size={batch_size!r}.")
    generator = None
    if shuffle and seed is not None:
        generator = torch.Generator()
        generator.manual_seed(int(seed))
    loader = BatchedDataset(
        dataset,
        batch_size=batch_size,
        shuffle=bool(shuffle),
        generator=generator,
        collate_fn=collate_fn if batch_size is not None else None,
    )
    loader.class_names = list(class_names) if class_names is not None else None
    return loader


def check_validation_split(
    validation_split: float | None, subset: str | None, shuffle: bool, seed: Any, caller: str
) -> None:
    """Keras' checks on ``validation_split`` and ``subset``."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"{caller}: validation_split must be between 0 and 1; received {validation_split}.")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError(
            f"{caller}: subset and validation_split go together; received validation_split={validation_split!r}, "
            f"subset={subset!r}."
        )
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f"{caller}: subset must be 'training', 'validation' or 'both'; received subset={subset!r}.")
    if validation_split and shuffle and seed is None:
        raise ValueError(
            f"{caller}: with validation_split and shuffle=True, pass a seed, so that the training and validation "
            "subsets do not overlap."
        )


def split_files(
    paths: list[str], labels: np.ndarray | None, validation_split: float | None, subset: str, caller: str, verbose: bool
) -> tuple[list[str], np.ndarray | None]:
    """The ``subset`` (``'training'`` or ``'validation'``) of the files: the last ``validation_split`` are validation."""
    if not validation_split:
        return paths, labels
    num_val = int(validation_split * len(paths))
    if subset == "training":
        keep = slice(0, len(paths) - num_val)
    else:
        keep = slice(len(paths) - num_val, len(paths))
    if verbose:
        print(f"Using {keep.stop - keep.start} files for {subset}.")
    return paths[keep], None if labels is None else labels[keep]


def _valid_files(directory: str, follow_links: bool, formats: tuple[str, ...]) -> list[str]:
    found = []
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda entry: entry[0]):
        found.extend(os.path.join(root, name) for name in sorted(files) if name.lower().endswith(formats))
    return found


def index_directory(
    directory: str | os.PathLike[str],
    labels: Any,
    formats: tuple[str, ...],
    class_names: Sequence[str] | None,
    shuffle: bool,
    seed: int | None,
    follow_links: bool,
    verbose: bool,
    caller: str,
) -> tuple[list[str], np.ndarray | None, list[str] | None]:
    """Keras' file listing: ``(paths, labels, class_names)`` in Keras' order.

    With ``labels='inferred'`` each subdirectory is a class (sorted, or ordered by
    ``class_names``); files are listed class by class, walking each subdirectory in
    sorted order. With ``shuffle`` the list is shuffled by ``np.random.RandomState(seed)``
    as Keras does, so a seed selects the same training/validation files as Keras.
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise ValueError(f"{caller}: directory {directory!r} does not exist or is not a directory.")
    if labels == "inferred":
        subdirs = sorted(
            name for name in os.listdir(directory)
            if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")
        )  # fmt: skip
        if class_names is not None:
            if not set(class_names) <= set(subdirs):
                raise ValueError(
                    f"{caller}: class_names must name subdirectories of {directory!r}; expected names from "
                    f"{subdirs}, received class_names={list(class_names)}."
                )
            subdirs = list(class_names)
    else:
        if class_names is not None:
            raise ValueError(f"{caller}: class_names is only for labels='inferred'; received labels={labels!r}.")
        subdirs = [""]
    paths: list[str] = []
    label_list: list[int] = []
    for index, subdir in enumerate(subdirs):
        files = _valid_files(os.path.join(directory, subdir), follow_links, formats)
        paths.extend(files)
        label_list.extend([index] * len(files))
    if labels == "inferred":
        label_array: np.ndarray | None = np.asarray(label_list, dtype="int32")
        names: list[str] | None = list(subdirs)
    elif labels is None:
        label_array, names = None, None
    else:
        if not isinstance(labels, (list, tuple, np.ndarray)):
            raise ValueError(f"{caller}: labels must be 'inferred', None, or a list of ints; received {labels!r}.")
        if len(labels) != len(paths):
            raise ValueError(
                f"{caller}: labels has {len(labels)} entries, but {len(paths)} files were found in {directory!r}."
            )
        label_array = np.asarray(labels, dtype="int32")
        names = [str(label) for label in sorted(set(np.asarray(labels).tolist()))]
    if verbose:
        print(f"Found {len(paths)} files" + ("." if names is None else f" belonging to {len(names)} classes."))
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(paths)
        if label_array is not None:
            np.random.RandomState(seed).shuffle(label_array)
    return paths, label_array, names


def encode_label(label: int, label_mode: str | None, num_classes: int) -> Any:
    """One label as Keras encodes it: ``int32`` scalar, one-hot ``float32``, or ``float32`` of shape ``(1,)``."""
    if label_mode == "int":
        return np.int32(label)
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[label]
    return np.asarray([label], dtype="float32")


def check_label_mode(label_mode: str | None, labels: Any, class_names: list[str] | None, caller: str) -> None:
    """Keras' checks on ``label_mode`` against the classes found."""
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(
            f"{caller}: label_mode must be 'int', 'categorical', 'binary' or None; received label_mode={label_mode!r}."
        )
    if labels is None or label_mode is None:
        return
    if label_mode == "binary" and class_names is not None and len(class_names) != 2:
        raise ValueError(
            f"{caller}: label_mode='binary' needs exactly 2 classes; found {len(class_names)}: {class_names}."
        )


def check_labels_argument(labels: Any, caller: str) -> None:
    """Keras' check on ``labels``: ``'inferred'``, ``None``, or a list/tuple of ints."""
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(f"{caller}: labels must be 'inferred', None, or a list/tuple of ints; received {labels!r}.")


class LabeledFiles(Dataset):
    """Sample ``i``: ``load(paths[i])`` and, when there are labels, its label encoded by ``options['label_mode']``.

    Subclasses implement ``load``; ``options`` holds ``label_mode``, ``num_classes`` and
    whatever ``load`` reads.

    Example:
        >>> class Names(LabeledFiles):
        ...     def load(self, path):
        ...         return path.upper()
        >>> Names(["a.txt", "b.txt"], np.array([0, 1]), {"label_mode": "int", "num_classes": 2})[1]
        ('B.TXT', np.int32(1))
    """

    def __init__(self, paths: list[str], labels: np.ndarray | None, options: dict[str, Any]) -> None:
        self.paths, self.labels, self.options = paths, labels, options

    def __len__(self) -> int:
        return len(self.paths)

    def load(self, path: str) -> Any:
        """The sample stored in the file ``path``."""
        raise NotImplementedError

    def __getitem__(self, index: int) -> Any:
        sample = self.load(self.paths[index])
        if self.labels is None:
            return sample
        return sample, encode_label(int(self.labels[index]), self.options["label_mode"], self.options["num_classes"])


def split_datasets(
    files: Callable[[list[str], np.ndarray | None], Dataset], paths: list[str], label_array: np.ndarray | None,
    names: list[str] | None, validation_split: float | None, subset: str | None, batch_size: int | None,
    shuffle: bool, seed: int | None, caller: str, verbose: bool, collate_fn: Callable[[list[Any]], Any] = collate,
) -> BatchedDataset | list[BatchedDataset]:  # fmt: skip
    """The ``BatchedDataset`` of ``subset`` (a list of the training and validation ones for ``'both'``).

    ``files(paths, labels)`` makes the dataset of one part's files; ``collate_fn`` makes batches.
    """

    def make(part: str | None) -> BatchedDataset:
        part_paths, part_labels = split_files(paths, label_array, validation_split, part or "", caller, verbose)
        return batched(files(part_paths, part_labels), batch_size, shuffle, seed, caller, names, collate_fn)

    if subset == "both":
        return [make("training"), make("validation")]
    return make(subset)
