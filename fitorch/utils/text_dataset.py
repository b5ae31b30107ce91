"""``text_dataset_from_directory``: a folder of class subfolders of ``.txt`` files as batches of strings."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

from fitorch.utils import dataset_utils

_CALLER = "text_dataset_from_directory"


class _TextFiles(dataset_utils.LabeledFiles):
    """Sample ``i``: the text of ``paths[i]`` (UTF-8, cut to ``max_length`` characters) and its encoded label."""

    def load(self, path: str) -> str:
        with open(path, encoding="utf-8", errors="replace") as file:
            text = file.read()
        return text if self.options["max_length"] is None else text[: self.options["max_length"]]


def text_dataset_from_directory(
    directory: str | os.PathLike[str],
    labels: Any = "inferred",
    label_mode: str | None = "int",
    class_names: Sequence[str] | None = None,
    batch_size: int | None = 32,
    max_length: int | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    verbose: bool = True,
) -> dataset_utils.BatchedDataset | list[dataset_utils.BatchedDataset]:
    """Batches of texts from a directory of class subdirectories (Keras' ``text_dataset_from_directory``).

    Only ``.txt`` files are read. Arguments, file order, labels and splits are as in
    :func:`~fitorch.utils.image_dataset_from_directory`.

    Args:
        directory: the root folder.
        labels: ``'inferred'``, ``None``, or a list of int labels in sorted path order.
        label_mode: ``'int'``, ``'categorical'``, ``'binary'`` or ``None``.
        class_names: with ``labels='inferred'``, the subfolders to use, in label order.
        batch_size: texts per batch; ``None`` yields single texts.
        max_length: keep at most this many characters of each text.
        shuffle: shuffle the files (and each pass's order).
        seed: seed for shuffling; required with ``validation_split`` and ``shuffle``.
        validation_split: fraction of the files kept for validation.
        subset: ``'training'``, ``'validation'`` or ``'both'``.
        follow_links: follow symbolic links to subfolders.
        verbose: print how many files and classes were found.

    Returns:
        A ``BatchedDataset`` (a torch ``DataLoader`` with ``class_names``) yielding
        ``(texts, labels)``, ``texts`` a list of strings; a list of two for ``subset='both'``.

    Example:
        >>> import os, tempfile
        >>> root = tempfile.mkdtemp()
        >>> for name, text in [("neg", "bad"), ("pos", "good")]:
        ...     os.makedirs(os.path.join(root, name))
        ...     with open(os.path.join(root, name, "a.txt"), "w") as f:
        ...         _ = f.write(text)
        >>> ds = text_dataset_from_directory(root, shuffle=False, verbose=False)
        >>> texts, labels = next(iter(ds))
        >>> texts, labels.tolist(), ds.class_names
        (['bad', 'good'], [0, 1], ['neg', 'pos'])
    """
    dataset_utils.check_labels_argument(labels, _CALLER)
    if max_length is not None and (not isinstance(max_length, int) or max_length < 0):
        raise ValueError(f"{_CALLER}: max_length must be a non-negative int or None; received {max_length!r}.")
    dataset_utils.check_label_mode(label_mode, labels, None, _CALLER)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    dataset_utils.check_validation_split(validation_split, subset, shuffle, seed, _CALLER)
    paths, label_array, names = dataset_utils.index_directory(
        directory, labels, (".txt",), class_names, shuffle, seed, follow_links, verbose, _CALLER
    )
    dataset_utils.check_label_mode(label_mode, labels, names, _CALLER)
    options = {"max_length": max_length, "label_mode": label_mode, "num_classes": len(names or [])}

    files = functools.partial(_TextFiles, options=options)
    return dataset_utils.split_datasets(
        files, paths, label_array, names, validation_split, subset, batch_size, shuffle, seed, _CALLER, verbose
    )
