"""``CSVLogger``: stream epoch results to a CSV file."""

from __future__ import annotations

import collections.abc
import csv
import io
import os
from typing import Any

import numpy as np

from fitorch.callbacks.callback import Callback, Logs
from fitorch.saving.atomic import atomic_write


def _format_value(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Writes one CSV row per epoch: ``epoch`` then every log, sorted by name (Keras' format).

    Every epoch rewrites the file atomically (a temp file, fsync, rename), so a crash
    or ``kill -9`` leaves the previous complete file, never a torn row. The number of
    lines written is the callback's state: a run resumed from a checkpoint drops the
    rows written after that checkpoint and continues the same file.

    Args:
        filename: the CSV file.
        separator: the column separator. Defaults to ``','``.
        append: add to an existing file (without repeating its header) instead of
            overwriting it. Defaults to ``False``.

    Example:
        >>> import os, tempfile, numpy as np, fitorch
        >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
        >>> model = fitorch.Sequential([fitorch.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> _ = model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=2, verbose=0, validation_split=0.5,
        ...               callbacks=[CSVLogger(path)])
        >>> print(open(path).read().strip())
        epoch,loss,val_loss
        0,0.0,0.0
        1,0.0,0.0
    """

    main_process_only = True  # in a distributed run, rank 0 alone writes the file

    def __init__(self, filename: str | os.PathLike[str], separator: str = ",", append: bool = False) -> None:
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.keys: list[str] | None = None
        self.append_header = True
        self._lines: list[str] = []  # the file's content, one entry per line (newline included)
        self._header_written = False
        self._restored_lines: int | None = None

    def _read_lines(self) -> list[str]:
        if not os.path.exists(self.filename):
            return []
        with open(self.filename, newline="") as handle:
            return handle.readlines()

    def on_train_begin(self, logs: Logs = None) -> None:
        if self._restored_lines is not None:
            # Resumed: keep what was written up to the checkpoint, drop anything after it.
            self._lines = self._read_lines()[: self._restored_lines]
            self._restored_lines = None
            return
        if self.append:
            self._lines = self._read_lines()
            self.append_header = not (self._lines and self._lines[0].strip())
        else:
            self._lines = []
            self._write()  # truncate now, as opening the file with "w" would
        self.keys = None
        self._header_written = False

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        logs = dict(logs or {})
        if self.keys is None:
            self.keys = sorted(logs.keys())
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                # Keras' rule: without validation logs yet, reserve their columns.
                self.keys.extend([f"val_{k}" for k in self.keys])
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["epoch", *self.keys], delimiter=self.sep, lineterminator="\n")
        if not self._header_written and self.append_header:
            writer.writeheader()
        self._header_written = True
        row = {"epoch": epoch, **{key: _format_value(logs.get(key, "NA")) for key in self.keys}}
        writer.writerow(row)
        self._lines.extend(buffer.getvalue().splitlines(keepends=True))
        self._write()

    def _write(self) -> None:
        directory = os.path.dirname(os.path.abspath(self.filename))
        os.makedirs(directory, exist_ok=True)
        with atomic_write(self.filename, "w", newline="") as handle:
            handle.writelines(self._lines)

    # ------------------------------------------------------------------ resume
    def get_state(self) -> dict[str, Any]:
        """The file position (``lines`` written) and the columns."""
        return {
            "lines": len(self._lines),
            "keys": None if self.keys is None else list(self.keys),
            "header_written": self._header_written,
            "append_header": self.append_header,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self._restored_lines = int(state["lines"])
        self.keys = None if state["keys"] is None else list(state["keys"])
        self._header_written = bool(state["header_written"])
        self.append_header = bool(state["append_header"])
