"""Atomic file writes: a temp file in the same folder, fsync, then rename.

Every file fitorch writes (models, weights, checkpoints, CSV logs) goes through
:func:`atomic_write`. Readers, and a process killed at any instant (``kill -9``,
power loss after the fsync), see either the previous complete file or the new
complete one, never a partial file. A failed or interrupted write leaves the
target untouched; an exception also removes the temp file (a ``kill -9`` cannot, so
a hidden ``.<name>.<random>.tmp`` may stay behind next to the target).

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> with atomic_write(path, "w") as f:
    ...     _ = f.write("epoch,loss\\n")
    >>> path.read_text()
    'epoch,loss\\n'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from typing import IO, Any

_umask_lock = threading.Lock()
_umask: int | None = None


def _default_mode() -> int:
    """The permissions ``open()`` would give a new file (0o666 minus the umask)."""
    global _umask
    with _umask_lock:
        if _umask is None:
            _umask = os.umask(0o022)  # reading the umask means setting it; put it back at once
            os.umask(_umask)
    return 0o666 & ~_umask


def _fsync_directory(directory: str) -> None:
    """Makes the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    mode: str = "wb",
    *,
    overwrite: bool = True,
    encoding: str | None = None,
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Opens a temp file for writing; on success it replaces ``path`` in one rename.

    Args:
        path: the target file.
        mode: ``'wb'`` (default) or ``'w'`` (text).
        overwrite: when ``False``, refuse to replace an existing file.
        encoding: text mode only; defaults to UTF-8.
        newline: text mode only, as for ``open``.

    Yields:
        The open temp file. Write everything, then leave the ``with`` block.

    Raises:
        FileExistsError: if ``overwrite`` is ``False`` and ``path`` exists.
        ValueError: for a mode other than ``'w'`` or ``'wb'``.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write: mode must be 'w' or 'wb'; received {mode!r}.")
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path!r} already exists; pass overwrite=True to replace it.")
    try:
        permissions = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        permissions = _default_mode()
    fd, temp_path = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        if mode == "w":
            handle: IO[Any] = os.fdopen(fd, "w", encoding=encoding or "utf-8", newline=newline)
        else:
            handle = os.fdopen(fd, "wb")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_path, permissions)
        if overwrite:
            os.replace(temp_path, path)
        else:
            _place_exclusively(temp_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_path)
        raise
    _fsync_directory(directory)


def _place_exclusively(temp_path: str, path: str) -> None:
    """Puts the finished temp file at ``path`` unless a file is there, in one step no other process can split.

    Checking for the file and then renaming lets two processes that both save with
    ``overwrite=False`` both succeed, the later one replacing the earlier. A hard link
    fails atomically when the target exists; the temp name is removed afterwards.
    """
    try:
        os.link(temp_path, path)
    except FileExistsError:
        raise FileExistsError(f"{path!r} already exists; pass overwrite=True to replace it.") from None
    except OSError:
        # A file system without hard links (FAT, some network mounts): Windows' rename refuses an
        # existing target by itself; elsewhere this falls back to check-then-rename.
        if os.name != "nt" and os.path.exists(path):
            raise FileExistsError(f"{path!r} already exists; pass overwrite=True to replace it.") from None
        os.rename(temp_path, path)
        return
    os.unlink(temp_path)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = True) -> None:
    """Writes ``data`` to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path, "wb", overwrite=overwrite) as handle:
        handle.write(data)
