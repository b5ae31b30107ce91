"""Reading and writing model archives (zip files), with every declared size checked first.

Nothing is ever extracted to disk: members are read into memory by name, so a
member path cannot escape anywhere. Names are still checked (no folders, ``..``,
absolute paths, backslashes, symlinks or duplicates) so a crafted archive is
refused loudly. The central directory is sized from the end record before
``zipfile`` parses it, each member's declared size is checked against its limit and
its compression ratio before it is decompressed, and reads stop at the declared size.

Tensor members are written uncompressed and start on a 64-byte boundary of the file (the
padding sits in the local header's extra field, as Android's ``zipalign`` puts it), so a
reader can memory-map them: ``read_archive(..., mapped=...)`` hands such a member out as a
copy-on-write view of the mapped file instead of reading it into a buffer, and the tensors
decoded from it are views of the page cache, aligned for their dtype.

Example:
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.zip")
    >>> write_archive(path, [("config.json", b"{}")])
    >>> read_archive(path, {"config.json": 100}, required={"config.json"})
    {'config.json': bytearray(b'{}')}
"""

from __future__ import annotations

import mmap
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from fitorch.saving import limits
from fitorch.saving.atomic import atomic_write
from fitorch.saving.errors import UnsafeModelError, quote

ZIP_MAGIC = b"PK\x03\x04"
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # reproducible archives: the same model gives the same bytes

#: A member to write: its name and either its bytes, or ``(size, writer)`` that streams exactly ``size`` bytes.
Member = tuple[str, bytes | tuple[int, Callable[[IO[bytes]], None]]]


def write_archive(path: str | os.PathLike[str], members: Iterable[Member], overwrite: bool = True) -> None:
    """Writes an uncompressed zip of ``members`` to ``path`` atomically."""
    with atomic_write(path, "wb", overwrite=overwrite) as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            for name, content in members:
                info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                if isinstance(content, (bytes, bytearray)):
                    archive.writestr(info, bytes(content))
                    continue
                size, writer = content
                info.file_size = size
                zip64 = size * 1.05 > zipfile.ZIP64_LIMIT  # zipfile's own rule for a member of this size
                info.extra = _alignment_padding(handle.tell(), len(name.encode()), zip64)
                with archive.open(info, "w", force_zip64=zip64) as member:
                    writer(member)


_ALIGNMENT = 64
_PADDING_FIELD = 0xD935  # the extra-field id zipalign uses for padding; readers skip unknown fields


def _alignment_padding(header_offset: int, name_length: int, zip64: bool) -> bytes:
    """An extra field that makes a member's data start on an ``_ALIGNMENT`` boundary of the file.

    The data follows the 30-byte local header, the name and the extra fields (``zipfile``
    appends its 20-byte zip64 field to the ones given).
    """
    unpadded = header_offset + 30 + name_length + (20 if zip64 else 0)
    padding = -unpadded % _ALIGNMENT
    if padding == 0:
        return b""
    if padding < 4:  # an extra field is at least its 4-byte id and length
        padding += _ALIGNMENT
    return struct.pack("<HH", _PADDING_FIELD, padding - 4) + bytes(padding - 4)


def _directory_bounds(handle: IO[bytes], file_size: int, what: str) -> None:
    """Reads the end-of-central-directory record and bounds the directory before zipfile parses it."""
    tail_size = min(file_size, 22 + 0xFFFF)
    handle.seek(file_size - tail_size)
    tail = handle.read(tail_size)
    position = tail.rfind(_EOCD)
    if position < 0 or len(tail) - position < 22:
        raise UnsafeModelError(f"{what} is not a valid zip archive (no end-of-directory record).")
    entries, directory_size = struct.unpack("<HI", tail[position + 10 : position + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:  # zip64: the real values are in the zip64 record
        locator = tail[position - 20 : position] if position >= 20 else b""
        if locator[:4] != _EOCD64_LOCATOR:
            raise UnsafeModelError(f"{what}: zip64 archive without a zip64 locator.")
        (record_offset,) = struct.unpack("<Q", locator[8:16])
        if record_offset + 56 > file_size:
            raise UnsafeModelError(f"{what}: zip64 record points outside the file.")
        handle.seek(record_offset)
        record = handle.read(56)
        if record[:4] != _EOCD64:
            raise UnsafeModelError(f"{what}: invalid zip64 end-of-directory record.")
        entries, directory_size = struct.unpack("<Q", record[32:40])[0], struct.unpack("<Q", record[40:48])[0]
    if entries > limits.MAX_ZIP_MEMBERS or directory_size > limits.MAX_ZIP_DIRECTORY_BYTES:
        raise UnsafeModelError(
            f"{what} declares {entries} members in a {directory_size}-byte directory; a model file has at most "
            f"{limits.MAX_ZIP_MEMBERS} members."
        )


def _check_member(info: zipfile.ZipInfo, allowed: Mapping[str, int], file_size: int, what: str) -> None:
    name = info.filename
    if name.endswith((".pkl", ".pickle")):
        raise UnsafeModelError(
            f"{what} holds the pickle {quote(name)}: it is a torch.save checkpoint or pickle archive, and fitorch "
            "never unpickles (unpickling runs code chosen by whoever made the file). If you trust it, load it "
            "yourself with torch.load(path, weights_only=True) and call model.load_state_dict(...)."
        )
    if (
        not name
        or name.startswith(("/", "\\"))
        or "/" in name
        or "\\" in name
        or ".." in name
        or ":" in name
        or "\x00" in name
    ):
        raise UnsafeModelError(
            f"{what} holds a member with path {quote(name)}: model archives hold only flat file names "
            "(no folders, '..', absolute paths or drive letters)."
        )
    if name not in allowed:
        hint = " (a pickle? fitorch never unpickles)" if name.endswith((".pt", ".pth", ".bin")) else ""
        raise UnsafeModelError(
            f"{what} holds an unexpected member {quote(name)}{hint}; a model archive holds only {sorted(allowed)}."
        )
    file_type = stat.S_IFMT(info.external_attr >> 16)  # 0 when the writer recorded no type
    if (file_type and file_type != stat.S_IFREG) or info.is_dir():
        raise UnsafeModelError(f"{what}: member {quote(name)} is a symlink or special file, not a regular file.")
    if info.flag_bits & 0x1:
        raise UnsafeModelError(f"{what}: member {quote(name)} is encrypted.")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnsafeModelError(f"{what}: member {quote(name)} uses an unsupported compression method.")
    if info.file_size > allowed[name]:
        raise UnsafeModelError(
            f"{what}: member {quote(name)} declares {info.file_size} bytes; the limit is {allowed[name]}."
        )
    # Declared sizes are checked against the bytes really in the file before anything is read.
    if info.compress_size > file_size or info.header_offset + info.compress_size > file_size:
        raise UnsafeModelError(
            f"{what}: member {quote(name)} declares {info.compress_size} stored bytes, more than the whole "
            f"file ({file_size} bytes)."
        )
    if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
        raise UnsafeModelError(
            f"{what}: member {quote(name)} is stored uncompressed but declares {info.file_size} bytes of content "
            f"in {info.compress_size} stored bytes."
        )
    if (
        info.compress_type == zipfile.ZIP_DEFLATED
        and info.file_size > limits.SMALL_MEMBER_BYTES
        and info.file_size > limits.MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
    ):
        raise UnsafeModelError(
            f"{what}: member {quote(name)} expands {info.file_size / max(info.compress_size, 1):.0f}x "
            f"(a zip bomb); the limit is {limits.MAX_COMPRESSION_RATIO}x."
        )


def read_archive(
    path: str | os.PathLike[str],
    allowed: Mapping[str, int],
    required: Iterable[str] = (),
    mapped: Iterable[str] = (),
) -> dict[str, bytearray | memoryview]:
    """Reads the members of a model archive into memory, or maps them.

    Args:
        path: the zip file.
        allowed: member name -> the largest size accepted for it; any other name is refused.
        required: names that must be present.
        mapped: names to memory-map when they are stored uncompressed: each comes back as a
            writable view of a private (copy-on-write) map of the file, checked as a read is
            (local header, name, size, CRC-32), so it costs page cache, not process memory.
            The map lives as long as the view or any tensor made from it. As with any
            memory-mapped file, truncating the file in place meanwhile is not supported
            (fitorch itself replaces files by renaming, which leaves the map intact).

    Raises:
        UnsafeModelError: for anything unexpected, see the module docstring.
    """
    what = repr(os.fspath(path))
    members: dict[str, bytearray | memoryview] = {}
    mapped = set(mapped)
    try:
        # Opened once, sized from the open file: a writer replacing the path meanwhile (an atomic
        # rename) cannot make the size and the bytes read come from two different files.
        with open(path, "rb") as handle:
            file_size = os.fstat(handle.fileno()).st_size
            _directory_bounds(handle, file_size, what)
            handle.seek(0)
            with zipfile.ZipFile(handle) as archive:
                infos = archive.infolist()
                names = [info.filename for info in infos]
                if len(set(names)) != len(names):
                    raise UnsafeModelError(f"{what} holds duplicate member names.")
                for info in infos:
                    _check_member(info, allowed, file_size, what)
                missing = [name for name in required if name not in names]
                if missing:
                    raise UnsafeModelError(f"{what} is missing {missing}; it is not a complete model file.")
                mapping = None
                for info in infos:
                    if info.filename in mapped and info.compress_type == zipfile.ZIP_STORED and info.file_size:
                        if mapping is None:
                            mapping = mmap.mmap(handle.fileno(), file_size, access=mmap.ACCESS_COPY)
                        members[info.filename] = _map_member(mapping, info, what)
                    else:
                        members[info.filename] = _read_member(archive, info)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        struct.error,
        NotImplementedError,
        RuntimeError,
    ) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise UnsafeModelError(f"{what} is not a valid model archive: {str(error)[:200]}") from None
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytearray:
    """The member's bytes; memory follows the bytes really in the file, never only a declared size.

    A stored member's size was checked against the file's real size (``_check_member``),
    so its buffer is allocated at once and filled in place; a deflated member grows chunk
    by chunk as it inflates.
    """
    stored = info.compress_type == zipfile.ZIP_STORED
    buffer, filled = (bytearray(info.file_size) if stored else bytearray()), 0
    with archive.open(info) as member:
        while filled < info.file_size:
            if stored:
                count = member.readinto(memoryview(buffer)[filled:])
            else:
                chunk = member.read(min(_READ_CHUNK, info.file_size - filled))
                buffer += chunk
                count = len(chunk)
            if not count:
                raise UnsafeModelError(f"member {quote(info.filename)} is shorter than it declares.")
            filled += count
        if member.read(1):
            raise UnsafeModelError(f"member {quote(info.filename)} is longer than it declares.")
    return buffer


_READ_CHUNK = 16 * limits.MiB


def _map_member(mapping: mmap.mmap, info: zipfile.ZipInfo, what: str) -> memoryview:
    """A stored member's bytes as a view of the mapped file, after the checks ``zipfile`` makes on a read."""
    start, name = info.header_offset, info.filename
    header = mapping[start : start + 30]
    if len(header) < 30 or header[:4] != ZIP_MAGIC:
        raise UnsafeModelError(f"{what}: member {quote(name)} has no valid local header.")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    local_name = mapping[start + 30 : start + 30 + name_length].decode("utf-8" if info.flag_bits & 0x800 else "cp437")
    if local_name != info.orig_filename:
        raise UnsafeModelError(f"{what}: member {quote(name)} is named {quote(local_name)} in its local header.")
    begin = start + 30 + name_length + extra_length
    if begin + info.file_size > len(mapping):
        raise UnsafeModelError(f"member {quote(name)} is shorter than it declares.")
    view = memoryview(mapping)[begin : begin + info.file_size]
    if zlib.crc32(view) != info.CRC:
        raise UnsafeModelError(f"{what} is not a valid model archive: Bad CRC-32 for file {name!r}")
    return view


def sniff(path: str | os.PathLike[str]) -> str:
    """``'zip'``, ``'hdf5'``, ``'safetensors'`` or ``'unknown'``, from the first bytes of ``path``."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return "hdf5"
    if len(head) >= 9 and head[8:9] == b"{":
        return "safetensors"
    if head[:1] == b"\x80":
        return "pickle"
    return "unknown"


def describe_unknown(kind: str, path: Any) -> str:
    """The message for a file that is neither a model archive nor a weights file."""
    if kind == "pickle":
        return (
            f"{quote(os.fspath(path))} is a pickle (a torch.save or pickle file). fitorch never unpickles, because "
            "unpickling runs code chosen by whoever made the file. If you trust it, load it yourself with "
            "torch.load(path, weights_only=True) and call model.load_state_dict(...)."
        )
    return (
        f"{quote(os.fspath(path))} is not a fitorch model (.fitorch), a safetensors weights file, or a Keras "
        ".keras/.h5 file."
    )
