"""Reading a Keras HDF5 file without trusting it.

Every object is reached through hard links only: soft links can loop and external
links, external storage and virtual datasets read other files. A group is checked to
be a group and a dataset a dataset before it is used, attributes are checked for type,
and each dataset's declared size is charged against a budget derived from the file's
real size before a byte of it is read. Whatever else h5py raises on a truncated or
corrupt file (``OSError``, ``KeyError``, ``TypeError`` ...) leaves as
:class:`~fitorch.saving.errors.UnsafeModelError`, the one documented error.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from fitorch.saving import limits
from fitorch.saving.errors import UnsafeModelError, quote

#: Deepest chain of groups a Keras weights file may have (model > nested model > wrapper > cell ...).
MAX_DEPTH = 64


def h5py_module() -> Any:
    """``h5py``, or an ImportError that names the extra."""
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py ships with the test extra
        raise ImportError(
            "Reading Keras .h5/.keras files needs h5py: pip install 'fitorch[h5]' (or pip install h5py)."
        ) from None
    return h5py


@contextlib.contextmanager
def refusing_malformed(what: str) -> Iterator[None]:
    """Turns any error raised while reading a file into ``UnsafeModelError``."""
    try:
        yield
    except UnsafeModelError:
        raise
    except Exception as error:  # a corrupt or crafted file: whatever h5py or numpy raised
        raise UnsafeModelError(
            f"{what} is not a valid Keras HDF5 file: {type(error).__name__}: {str(error)[:300]}"
        ) from None


class H5Reader:
    """An open HDF5 file and the byte budget its datasets may declare (``ALLOCATION_FACTOR`` × its size).

    Example:
        >>> import io, h5py, numpy as np
        >>> buffer = io.BytesIO()
        >>> with h5py.File(buffer, "w") as f:
        ...     f["layers/dense/vars/0"] = np.ones((2, 3), "float32")
        >>> with H5Reader(buffer, len(buffer.getvalue()), "'demo.h5'") as reader:
        ...     reader.read(reader.child(reader.root, "layers/dense/vars/0", "dataset")).shape
        (2, 3)
    """

    def __init__(self, source: Any, size: int, what: str) -> None:
        self.h5py = h5py_module()
        self.what = what
        self.budget = limits.ALLOCATION_FACTOR * size + limits.SMALL_MEMBER_BYTES
        with refusing_malformed(what):
            self.root = self.h5py.File(source, "r")

    def __enter__(self) -> H5Reader:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        with contextlib.suppress(Exception):
            self.root.close()

    def child(self, group: Any, path: str, kind: str | None, required: bool = True) -> Any:
        """``group[path]`` through hard links only; ``kind`` is ``'group'``, ``'dataset'`` or ``None`` (either).

        Returns ``None`` for a missing optional object.
        """
        current = group
        for part in path.split("/"):
            if not part or part in (".", ".."):
                raise UnsafeModelError(f"{self.what}: invalid HDF5 path {quote(path)}.")
            if not isinstance(current, self.h5py.Group):
                raise UnsafeModelError(f"{self.what}: {quote(current.name)} is a dataset where a group was expected.")
            link = current.get(part, getlink=True)
            if link is None:
                if required:
                    raise UnsafeModelError(f"{self.what}: {quote(f'{current.name}/{part}')} is missing.")
                return None
            if not isinstance(link, self.h5py.HardLink):
                raise UnsafeModelError(
                    f"{self.what}: {quote(f'{current.name}/{part}')} is a {type(link).__name__}; Keras files hold "
                    "only hard links (soft links can loop, external links read other files)."
                )
            current = current[part]
        if kind is None:
            if not isinstance(current, (self.h5py.Group, self.h5py.Dataset)):
                raise UnsafeModelError(f"{self.what}: {quote(current.name)} is neither a group nor a dataset.")
            return current
        expected = self.h5py.Group if kind == "group" else self.h5py.Dataset
        if not isinstance(current, expected):
            found = "group" if isinstance(current, self.h5py.Group) else "dataset"
            raise UnsafeModelError(f"{self.what}: {quote(current.name)} is a {found} where a {kind} was expected.")
        return current

    def keys(self, group: Any) -> list[str]:
        """The names in ``group``, bounded like any other list a file declares."""
        names = list(group.keys())
        if len(names) > limits.MAX_TENSORS:
            raise UnsafeModelError(f"{self.what}: {quote(group.name)} holds {len(names)} entries.")
        return names

    def read(self, dataset: Any) -> np.ndarray:
        """A numeric dataset's values, after checking its declared size against the budget."""
        if dataset.is_virtual or dataset.external:
            raise UnsafeModelError(f"{self.what}: dataset {quote(dataset.name)} reads its data from other files.")
        if dataset.dtype.kind not in "fiub" or dataset.ndim > limits.MAX_TENSOR_NDIM:
            raise UnsafeModelError(
                f"{self.what}: dataset {quote(dataset.name)} has dtype {dataset.dtype} and {dataset.ndim} dims; "
                "Keras weights are numeric arrays."
            )
        size = int(np.prod(dataset.shape, dtype=object)) * dataset.dtype.itemsize
        self.budget -= size
        if self.budget < 0:
            raise UnsafeModelError(
                f"{self.what}: dataset {quote(dataset.name)} declares {size} bytes, more than the file could hold "
                "(a resource bomb)."
            )
        return np.asarray(dataset[()])

    def strings(self, obj: Any, name: str) -> list[str]:
        """A list-of-strings attribute (Keras' ``layer_names``/``weight_names``); it must be present."""
        if name not in obj.attrs:
            raise UnsafeModelError(f"{self.what}: {quote(obj.name)} has no {name!r} attribute.")
        value = obj.attrs[name]
        if isinstance(value, (str, bytes)):
            value = [value]
        if not isinstance(value, (list, np.ndarray)) or np.ndim(value) != 1 or len(value) > limits.MAX_TENSORS:
            raise UnsafeModelError(f"{self.what}: attribute {name!r} of {quote(obj.name)} is not a list of names.")
        names = []
        for item in value:
            if isinstance(item, (bytes, np.bytes_)):
                item = bytes(item).decode("utf-8")
            if not isinstance(item, str) or len(item) > limits.MAX_NAME_LENGTH:
                shown = item.item() if isinstance(item, np.generic) else item
                raise UnsafeModelError(
                    f"{self.what}: attribute {name!r} of {quote(obj.name)} holds {quote(shown)}, not a name."
                )
            names.append(item)
        return names

    def text(self, name: str) -> bytes | None:
        """A JSON-text attribute of the root (``model_config``, ``training_config``), or ``None``."""
        if name not in self.root.attrs:
            return None
        value = self.root.attrs[name]
        if isinstance(value, str):
            return value.encode("utf-8")
        if isinstance(value, (bytes, np.bytes_)):
            return bytes(value)
        raise UnsafeModelError(f"{self.what}: attribute {name!r} is not JSON text.")
