"""Reading and writing safetensors through the ``safetensors`` package, with every declared size checked first.

A safetensors file is an 8-byte little-endian header length, a JSON header mapping
each tensor name to its ``dtype``, ``shape`` and ``data_offsets`` (plus an optional
``__metadata__`` string map), then the raw little-endian bytes.

The package writes every file (``safetensors.torch.save_file``, streamed to disk) and
memory-maps weights files on disk (``safetensors.safe_open``). Before the package sees
a file, fitorch reads the header itself and is stricter than the format needs: the
header must be bounded JSON (``limits``, ``safe_json``), names and counts bounded, only
the dtypes below, every tensor's byte range must match its dtype and shape exactly,
and the ranges must tile the data section with no overlap, gap or trailing byte; so a
crafted file is refused before anything is allocated from a size it declares. A tensor
member of a ``.fitorch`` zip is memory-mapped by the archive reader and decoded as views of
those bytes (:func:`read`).

Example:
    >>> import io, torch
    >>> buffer = io.BytesIO()
    >>> write(buffer, {"w": torch.arange(3.0)}, {"format": "pt"})
    >>> tensors, metadata = read(bytearray(buffer.getvalue()), "w.safetensors")
    >>> tensors["w"].tolist(), metadata
    ([0.0, 1.0, 2.0], {'format': 'pt'})
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from typing import IO

import safetensors
import safetensors.torch
import torch

from fitorch.saving import limits, safe_json
from fitorch.saving.errors import UnsafeModelError, quote

DTYPES: dict[str, torch.dtype] = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "U16": torch.uint16,
    "U32": torch.uint32,
    "U64": torch.uint64,
    "BOOL": torch.bool,
    "F8_E4M3": torch.float8_e4m3fn,
    "F8_E5M2": torch.float8_e5m2,
    "C64": torch.complex64,
}
DTYPE_NAMES = {dtype: name for name, dtype in DTYPES.items()}
_ALIGNMENT = 8
_COPY_CHUNK = 1 * limits.MiB


def _prepare(tensors: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """CPU-contiguous tensors the package accepts: dtypes fitorch reads back, no two sharing memory.

    The package refuses tensors that share a storage (tied weights, views of one buffer);
    each one after the first is cloned, so it is stored twice, as before.
    """
    prepared: dict[str, torch.Tensor] = {}
    storages: set[int] = set()
    for name, tensor in tensors.items():
        if tensor.dtype not in DTYPE_NAMES:
            raise TypeError(f"Tensor {name!r} has dtype {tensor.dtype}, which safetensors cannot store.")
        tensor = tensor.detach().to("cpu").contiguous()
        if tensor.numel():
            storage = tensor.untyped_storage().data_ptr()
            if storage in storages:
                tensor = tensor.clone()
            storages.add(tensor.untyped_storage().data_ptr())
        prepared[name] = tensor
    return prepared


class Serialized:
    """The package's safetensors bytes for ``tensors``, held in an anonymous temp file.

    The package's ``save`` builds the whole file in memory (twice the tensors' size at its
    peak); ``save_file`` streams it to a path of its own (a temp file it renames). This
    writes through ``save_file`` into a private temp folder and copies the result, chunk
    by chunk, into the stream fitorch writes (an atomic write's temp file, a zip member).

    The package keeps ``__metadata__`` in a hash map, so with two keys or more their order
    changes from run to run; the header is written again with the metadata in the order
    given (same tensors, offsets and data), so that the same model gives the same bytes.

    Args:
        tensors: name -> tensor.
        metadata: the ``__metadata__`` string map, if any.
    """

    def __init__(self, tensors: Mapping[str, torch.Tensor], metadata: Mapping[str, str] | None = None) -> None:
        prepared = _prepare(tensors)
        folder = tempfile.mkdtemp(prefix="fitorch-")
        path = os.path.join(folder, "tensors.safetensors")
        try:
            safetensors.torch.save_file(prepared, path, metadata=dict(metadata) if metadata else None)
            self.file: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by copy_to or the finalizer
        finally:
            shutil.rmtree(folder, ignore_errors=True)  # POSIX: the open handle keeps the bytes until closed
        header_size = int.from_bytes(self.file.read(8), "little")
        self.data_start = 8 + header_size
        self.prefix = self.file.read(header_size)
        if metadata and len(metadata) > 1:
            header = safe_json.loads(self.prefix, "the header the safetensors package wrote")
            header["__metadata__"] = dict(metadata)
            raw = safe_json.dumps({"__metadata__": header.pop("__metadata__"), **header})
            self.prefix = raw + b" " * (-len(raw) % _ALIGNMENT)
        self.prefix = len(self.prefix).to_bytes(8, "little") + self.prefix
        self.size = len(self.prefix) + os.fstat(self.file.fileno()).st_size - self.data_start

    def copy_to(self, handle: IO[bytes]) -> None:
        """Writes the serialized bytes to ``handle`` and releases the temp file."""
        with self.file:
            handle.write(self.prefix)
            self.file.seek(self.data_start)
            shutil.copyfileobj(self.file, handle, _COPY_CHUNK)


def write(handle: IO[bytes], tensors: Mapping[str, torch.Tensor], metadata: Mapping[str, str] | None = None) -> None:
    """Writes ``tensors`` (name -> tensor) to an open binary file in safetensors format, through the package."""
    Serialized(tensors, metadata).copy_to(handle)


def encode_header(
    tensors: Mapping[str, torch.Tensor], metadata: Mapping[str, str] | None
) -> tuple[Serialized, list[torch.Tensor], int]:
    """Serializes ``tensors`` now; returns ``(serialized, [], size)`` for :func:`write_prepared`.

    Kept for archive writers that need the size before the bytes (a zip member's header).
    """
    serialized = Serialized(tensors, metadata)
    return serialized, [], serialized.size


def write_prepared(handle: IO[bytes], prefix: Serialized, ordered: list[torch.Tensor]) -> None:
    """Writes what :func:`encode_header` returned."""
    prefix.copy_to(handle)


def _check_entry(name: object, entry: object, what: str) -> tuple[torch.dtype, tuple[int, ...], int, int]:
    if not isinstance(name, str) or not 0 < len(name) <= limits.MAX_NAME_LENGTH:
        raise UnsafeModelError(f"{what}: invalid tensor name {quote(name)}.")
    if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
        raise UnsafeModelError(f"{what}: tensor {quote(name)} must have exactly dtype, shape and data_offsets.")
    dtype_name, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
    if not isinstance(dtype_name, str) or dtype_name not in DTYPES:
        raise UnsafeModelError(f"{what}: tensor {quote(name)} has unknown dtype {quote(dtype_name)}.")
    if (
        not isinstance(shape, list)
        or len(shape) > limits.MAX_TENSOR_NDIM
        or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape)
    ):
        raise UnsafeModelError(f"{what}: tensor {quote(name)} has an invalid shape {quote(shape)}.")
    if (
        not isinstance(offsets, list)
        or len(offsets) != 2
        or not all(isinstance(o, int) and not isinstance(o, bool) and o >= 0 for o in offsets)
        or offsets[0] > offsets[1]
    ):
        raise UnsafeModelError(f"{what}: tensor {quote(name)} has invalid data_offsets {quote(offsets)}.")
    dtype = DTYPES[dtype_name]
    expected = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
    if offsets[1] - offsets[0] != expected:
        raise UnsafeModelError(
            f"{what}: tensor {quote(name)} declares dtype {dtype_name} and shape {tuple(shape)} "
            f"({expected} bytes) but spans {offsets[1] - offsets[0]} bytes."
        )
    return dtype, tuple(shape), offsets[0], offsets[1]


Entries = dict[str, tuple[torch.dtype, tuple[int, ...], int, int]]


def _header_size(prefix: bytes, total: int, what: str) -> int:
    """The declared header length, bounded by the limit and by the bytes really there (``total``)."""
    if total < 8:
        raise UnsafeModelError(f"{what} is too short to be a safetensors file ({total} bytes).")
    header_size = int.from_bytes(prefix[:8], "little")
    if header_size > min(limits.MAX_JSON_BYTES, total - 8):
        raise UnsafeModelError(
            f"{what} declares a {header_size}-byte header but holds {total} bytes in all; it is truncated "
            "or not a safetensors file."
        )
    return header_size


def _check_header(prefix: bytes, head: bytes, data_size: int, what: str) -> tuple[Entries, dict[str, str]]:
    """Validates the header JSON against the ``data_size`` bytes that follow it; returns ``(entries, metadata)``."""
    if head[:1] == b"\x80" or prefix[:2] == b"PK":
        raise UnsafeModelError(
            f"{what} looks like a pickle or a torch.save archive, not safetensors; fitorch never unpickles."
        )
    header = safe_json.loads(head, f"{what} header")
    if not isinstance(header, dict):
        raise UnsafeModelError(f"{what}: the header must be a JSON object.")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise UnsafeModelError(f"{what}: __metadata__ must map strings to strings.")
    if len(header) > limits.MAX_TENSORS:
        raise UnsafeModelError(f"{what} declares {len(header)} tensors; the limit is {limits.MAX_TENSORS}.")
    entries = {name: _check_entry(name, entry, what) for name, entry in header.items()}
    position = 0
    for name, (_, _, begin, end) in sorted(entries.items(), key=lambda item: (item[1][2], item[1][3])):
        if begin != position:
            problem = "overlaps the previous tensor" if begin < position else "leaves a gap before it"
            raise UnsafeModelError(
                f"{what}: tensor {quote(name)} {problem} (data_offsets start at {begin}, expected {position})."
            )
        position = end
    if position != data_size:
        if position > data_size:
            raise UnsafeModelError(
                f"{what}: tensor data runs past the end of the file ({position} > {data_size} bytes)."
            )
        raise UnsafeModelError(f"{what}: {data_size - position} bytes of trailing data after the last tensor.")
    return entries, metadata


def read_header(data: bytes | bytearray | memoryview, what: str) -> tuple[Entries, dict[str, str], int]:
    """Validates the header of a file held in memory; returns ``(entries, metadata, data_start)``.

    Raises:
        UnsafeModelError: for a header that is too large, not JSON, or whose byte ranges
            do not tile the data section exactly.
    """
    prefix = bytes(data[:8])
    header_size = _header_size(prefix, len(data), what)
    data_start = 8 + header_size
    entries, metadata = _check_header(prefix, bytes(data[8:data_start]), len(data) - data_start, what)
    return entries, metadata, data_start


def read(data: bytearray | memoryview, what: str) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Validates and decodes a safetensors file held in memory or mapped (a ``.fitorch`` member).

    The returned tensors are views of ``data`` (no copy; a tensor whose bytes are not
    aligned for its dtype is copied): they keep ``data`` alive. The package cannot read from here without copying:
    ``safetensors.torch.load`` takes only ``bytes`` (a copy of a ``bytearray``) and copies
    every tensor again, three times the file in memory at its peak; and ``safe_open``
    memory-maps a path whose byte 0 starts the header, not a member inside a zip.

    Raises:
        UnsafeModelError: see :func:`read_header`.
    """
    entries, metadata, data_start = read_header(data, what)
    if sys.byteorder != "little":  # pragma: no cover - every platform torch ships for is little-endian
        raise UnsafeModelError("Reading safetensors on a big-endian machine is not supported.")
    buffer = memoryview(data)
    if buffer.readonly:
        buffer = memoryview(bytearray(buffer))
    tensors: dict[str, torch.Tensor] = {}
    for name, (dtype, shape, begin, end) in entries.items():
        if begin == end:
            tensors[name] = torch.empty(shape, dtype=dtype)
            continue
        raw = torch.frombuffer(buffer, dtype=torch.uint8, count=end - begin, offset=data_start + begin)
        if (data_start + begin) % dtype.itemsize:
            raw = raw.clone()  # unaligned: copy before reinterpreting
        tensors[name] = raw.view(dtype).reshape(shape)
    return tensors, metadata


def read_file(path: str | os.PathLike[str], what: str) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Validates a safetensors file on disk, then memory-maps its tensors through the package.

    Only the 8-byte length and the header are read to validate it (the checks of
    :func:`read_header`, against the file's real size); the tensors are then handed out
    by ``safetensors.safe_open`` as copy-on-write views of the mapped file, so loading
    allocates nothing for them until they are copied into a model. The package opens the
    descriptor that was validated (``/dev/fd/N``), so a file swapped in meanwhile is
    not the one read.

    Raises:
        UnsafeModelError: see :func:`read_header`; also if the package disagrees with the checks.
    """
    with open(path, "rb") as handle:
        total = os.fstat(handle.fileno()).st_size
        prefix = handle.read(8)
        header_size = _header_size(prefix, total, what)
        head = handle.read(header_size)
        entries, metadata = _check_header(prefix, head, total - 8 - header_size, what)
        if sys.byteorder != "little":  # pragma: no cover - every platform torch ships for is little-endian
            raise UnsafeModelError("Reading safetensors on a big-endian machine is not supported.")
        source = f"/dev/fd/{handle.fileno()}"
        try:
            with safetensors.safe_open(source if os.path.exists(source) else path, framework="pt") as opened:
                if set(opened.keys()) != set(entries):
                    raise UnsafeModelError(f"{what} changed while it was read.")
                tensors = {name: opened.get_tensor(name) for name in entries}
        except safetensors.SafetensorError as error:
            raise UnsafeModelError(f"{what} is not a valid safetensors file: {str(error)[:200]}") from None
    return tensors, metadata
