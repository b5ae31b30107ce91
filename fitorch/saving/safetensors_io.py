"""Reading and writing the safetensors format, with every declared size checked first.

A safetensors file is an 8-byte little-endian header length, a JSON header mapping
each tensor name to its ``dtype``, ``shape`` and ``data_offsets`` (plus an optional
``__metadata__`` string map), then the raw little-endian bytes. Files written here
load with the ``safetensors`` library and the other way round.

The reader is stricter than the format needs: the header must be bounded JSON,
every tensor's byte range must match its dtype and shape exactly, the ranges must
tile the data section with no overlap, gap or trailing byte, and tensors are views
of the bytes already read (nothing is allocated from a declared size).

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
import sys
from collections.abc import Mapping
from typing import IO

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


def _prepare(tensors: Mapping[str, torch.Tensor]) -> tuple[bytes, list[torch.Tensor]]:
    """The header bytes (padded to 8) and the CPU-contiguous tensors, in order."""
    header: dict[str, object] = {}
    ordered = []
    offset = 0
    for name, tensor in tensors.items():
        if tensor.dtype not in DTYPE_NAMES:
            raise TypeError(f"Tensor {name!r} has dtype {tensor.dtype}, which safetensors cannot store.")
        tensor = tensor.detach().to("cpu").contiguous()
        size = tensor.numel() * tensor.element_size()
        header[name] = {
            "dtype": DTYPE_NAMES[tensor.dtype],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + size],
        }
        ordered.append(tensor)
        offset += size
    return header, ordered


def encode_header(
    tensors: Mapping[str, torch.Tensor], metadata: Mapping[str, str] | None
) -> tuple[bytes, list[torch.Tensor], int]:
    """Returns ``(prefix, tensors, total_size)``: the length-prefixed header and what follows it."""
    header, ordered = _prepare(tensors)
    if metadata:
        header = {"__metadata__": dict(metadata), **header}
    raw = safe_json.dumps(header)
    raw += b" " * (-len(raw) % _ALIGNMENT)
    prefix = len(raw).to_bytes(8, "little") + raw
    data_size = sum(t.numel() * t.element_size() for t in ordered)
    return prefix, ordered, len(prefix) + data_size


def write(handle: IO[bytes], tensors: Mapping[str, torch.Tensor], metadata: Mapping[str, str] | None = None) -> None:
    """Writes ``tensors`` (name -> tensor) to an open binary file in safetensors format."""
    prefix, ordered, _ = encode_header(tensors, metadata)
    write_prepared(handle, prefix, ordered)


def write_prepared(handle: IO[bytes], prefix: bytes, ordered: list[torch.Tensor]) -> None:
    """Writes what :func:`encode_header` returned, streaming each tensor's bytes."""
    handle.write(prefix)
    for tensor in ordered:
        if tensor.numel():
            # (any shape) -> flat bytes, little-endian on every platform torch supports here.
            handle.write(memoryview(tensor.reshape(-1).view(torch.uint8).numpy()))


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


def read_header(
    data: bytes | bytearray | memoryview, what: str
) -> tuple[dict[str, tuple[torch.dtype, tuple[int, ...], int, int]], dict[str, str], int]:
    """Validates the header; returns ``(entries, metadata, data_start)`` without touching tensor bytes.

    Raises:
        UnsafeModelError: for a header that is too large, not JSON, or whose byte ranges
            do not tile the data section exactly.
    """
    if len(data) < 8:
        raise UnsafeModelError(f"{what} is too short to be a safetensors file ({len(data)} bytes).")
    header_size = int.from_bytes(bytes(data[:8]), "little")
    if header_size > min(limits.MAX_JSON_BYTES, len(data) - 8):
        raise UnsafeModelError(
            f"{what} declares a {header_size}-byte header but holds {len(data)} bytes in all; it is truncated "
            "or not a safetensors file."
        )
    head = bytes(data[8 : 8 + header_size])
    if head[:1] == b"\x80" or bytes(data[:2]) == b"PK":
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
    data_start = 8 + header_size
    data_size = len(data) - data_start
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
    return entries, metadata, data_start


def read(data: bytearray | memoryview, what: str) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Validates and decodes a safetensors file held in memory.

    The returned tensors are views of ``data`` (no copy): keep ``data`` alive while
    using them, or copy them.

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
