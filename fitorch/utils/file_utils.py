"""``get_file``: download a file once into a cache folder, check its hash, and unpack tar or zip archives.

Archives are unpacked only after every member is checked to land inside the target
folder (no ``..``, absolute paths or links pointing out); tar files are also
extracted with Python's ``filter='data'`` where the Python version has it.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
from typing import Any

from fitorch.utils.io_utils import print_msg
from fitorch.utils.keras_progbar import Progbar

_ARCHIVE_FORMATS = ("tar", "zip")


def keras_home() -> str:
    """Keras' cache root: ``$KERAS_HOME``, else ``~/.keras`` (``/tmp/.keras`` when the home folder is read-only).

    Read when called, so setting ``KERAS_HOME`` later in a process takes effect (Keras reads it at import).
    """
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    home = os.path.expanduser("~")
    return os.path.join(home if os.access(home, os.W_OK) else "/tmp", ".keras")


def hash_file(path: str | os.PathLike[str], algorithm: str = "sha256", chunk_size: int = 65535) -> str:
    """The hex ``sha256`` (or ``md5``) digest of a file, read in chunks.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "empty")
        >>> open(path, "wb").close()
        >>> hash_file(path)
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    hasher = hashlib.sha256() if algorithm == "sha256" else hashlib.md5()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def _algorithm(hash_algorithm: str, file_hash: str) -> str:
    """Keras' rule: ``'auto'`` means sha256 for a 64-character hash and md5 otherwise."""
    if hash_algorithm == "sha256" or (hash_algorithm == "auto" and len(file_hash) == 64):
        return "sha256"
    return "md5"


def _inside(base: str, relative: str) -> bool:
    """Whether ``base/relative`` resolves (following links already on disk) to a path inside ``base``."""
    target = os.path.realpath(os.path.join(base, relative))
    try:
        return os.path.commonpath([target, base]) == base
    except ValueError:  # different drives on Windows
        return False


def _check_tar_member(member: tarfile.TarInfo, base: str, archive: str) -> None:
    escapes = not _inside(base, member.name)
    if member.islnk():  # hard links are relative to the archive root
        escapes = escapes or not _inside(base, member.linkname)
    elif member.issym():  # symbolic links are relative to the link's own folder
        escapes = escapes or not _inside(base, os.path.join(os.path.dirname(member.name), member.linkname))
    if escapes:
        link = f" -> {member.linkname!r}" if member.issym() or member.islnk() else ""
        raise ValueError(
            f"get_file: archive {archive!r} has a member {member.name!r}{link} that would be written outside the "
            f"extraction folder {base!r}; nothing was extracted. Do not extract archives from untrusted sources."
        )


def _formats(archive_format: Any) -> list[str]:
    """``archive_format`` as a list of ``'tar'``/``'zip'`` (``'auto'``: both; ``None``: none)."""
    if archive_format is None:
        return []
    formats = list(_ARCHIVE_FORMATS) if archive_format == "auto" else archive_format
    formats = [formats] if isinstance(formats, str) else list(formats)
    if any(f not in _ARCHIVE_FORMATS for f in formats):
        raise ValueError(
            f"get_file: archive_format must be 'auto', 'tar', 'zip', a list of those, or None; received "
            f"{archive_format!r}."
        )
    return formats


def extract_archive(
    file_path: str | os.PathLike[str], path: str | os.PathLike[str] = ".", archive_format: Any = "auto"
) -> bool:
    """Extracts a tar (``.tar``, ``.tar.gz``, ``.tar.bz2``, ``.tar.xz``) or zip archive into ``path``.

    Args:
        file_path: the archive.
        path: the folder to extract into (created if needed).
        archive_format: ``'auto'`` (``['tar', 'zip']``), ``'tar'``, ``'zip'``, a list of
            those, or ``None`` (extract nothing).

    Returns:
        ``True`` if the file was an archive of one of the formats and was extracted.

    Raises:
        ValueError: for an unknown format, or a member that would land outside ``path``
            (checked before anything is written).
    """
    formats = _formats(archive_format)
    if not formats:
        return False
    file_path = os.fspath(file_path)
    os.makedirs(path, exist_ok=True)
    base = os.path.realpath(path)
    for kind in formats:
        if kind == "tar" and tarfile.is_tarfile(file_path):
            with tarfile.open(file_path) as archive:
                members = archive.getmembers()
                for member in members:
                    _check_tar_member(member, base, file_path)
                # filter='data' (Python 3.12, backported to 3.10.12 and 3.11.4) also refuses devices and odd modes.
                data_filter = {"filter": "data"} if "filter" in inspect.signature(archive.extractall).parameters else {}
                try:
                    archive.extractall(base, members=members, **data_filter)
                except tarfile.TarError as error:
                    raise ValueError(f"get_file: could not extract {file_path!r} safely: {error}") from error
            return True
        if kind == "zip" and zipfile.is_zipfile(file_path):
            with zipfile.ZipFile(file_path) as archive:
                for info in archive.infolist():
                    if not _inside(base, info.filename):
                        raise ValueError(
                            f"get_file: archive {file_path!r} has a member {info.filename!r} that would be written "
                            f"outside the extraction folder {base!r}; nothing was extracted."
                        )
                archive.extractall(base)
            return True
    return False


class _DownloadProgress:
    """``urlretrieve``'s report hook: a byte-count progress bar (total unknown when the server does not say)."""

    def __init__(self) -> None:
        self.progbar: Progbar | None = None

    def __call__(self, block_num: int, block_size: int, total_size: int) -> None:
        target = None if total_size <= 0 else total_size
        if self.progbar is None:
            self.progbar = Progbar(target)
        current = block_num * block_size
        self.progbar.update(min(current, target) if target else current)


def _download(origin: str, target: str) -> None:
    """Downloads ``origin`` to ``target`` through a temporary file, so a failed download leaves no file behind."""
    print_msg(f"Downloading data from {origin}")
    partial = target + ".part"
    try:
        urllib.request.urlretrieve(origin, partial, _DownloadProgress())
        os.replace(partial, target)
    except urllib.error.HTTPError as error:
        raise OSError(f"get_file: URL fetch failure on {origin}: {error.code} -- {error.msg}") from error
    except urllib.error.URLError as error:
        raise OSError(f"get_file: URL fetch failure on {origin}: {error.errno} -- {error.reason}") from error
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def get_file(
    fname: str | os.PathLike[str] | None = None,
    origin: str | None = None,
    untar: bool = False,
    md5_hash: str | None = None,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: Any = "auto",
    cache_dir: str | os.PathLike[str] | None = None,
    force_download: bool = False,
) -> str:
    """Downloads a file from a URL unless it is already cached, and returns its path (Keras' ``get_file``).

    The file goes to ``cache_dir/cache_subdir/fname``: ``~/.keras/datasets/fname`` by
    default, or ``$KERAS_HOME/datasets/fname``. A cached file is used as it is, unless
    ``force_download`` or a ``file_hash`` it does not match. With ``extract=True`` the
    archive is saved as ``fname_archive`` (or ``fname`` when ``fname`` has an extension)
    and unpacked into ``fname`` (or ``<fname before the first dot>_extracted``), and that
    folder is returned.

    Network: only ``origin`` is contacted, with ``urllib.request.urlretrieve`` (so
    ``http``, ``https``, ``ftp`` and ``file`` URLs, and the ``http_proxy``/``https_proxy``
    environment variables), once per call that needs a download, with no retries and no
    timeout beyond the system's. Nothing is contacted when the cached file is used. Only
    download what you trust, and pass ``file_hash`` (``sha256sum`` prints it) so a
    tampered or truncated file is refused.

    Args:
        fname: the file name in the cache; ``None`` takes the last part of ``origin``'s
            path. A name, not a path: use ``cache_dir`` for the folder.
        origin: the URL of the file.
        untar: deprecated; ``True`` is ``extract=True, archive_format='tar'``.
        md5_hash: deprecated; an md5 ``file_hash``.
        file_hash: the expected sha256 (64 hex digits) or md5 hash of the file.
        cache_subdir: the folder under ``cache_dir`` (an absolute path is used as it is).
        hash_algorithm: ``'auto'`` (sha256 for a 64-digit hash, else md5), ``'sha256'`` or ``'md5'``.
        extract: unpack the downloaded tar or zip archive.
        archive_format: ``'auto'`` (tar, then zip), ``'tar'``, ``'zip'``, a list, or ``None``.
        cache_dir: the cache root; default ``$KERAS_HOME`` or ``~/.keras``. When it cannot be
            written, ``/tmp/.keras`` is used, as Keras.
        force_download: download even when the file is cached.

    Returns:
        The path of the file, or of the extraction folder with ``extract``/``untar``.

    Raises:
        ValueError: for no ``origin``, a path as ``fname``, a hash mismatch after download,
            an unknown ``hash_algorithm``/``archive_format``, or an archive member that
            would land outside the extraction folder.
        OSError: when the download fails.

    Example:
        >>> import os, pathlib, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> source = os.path.join(folder, "numbers.csv")
        >>> _ = open(source, "w").write("1,2,3\\n")
        >>> path = get_file(origin=pathlib.Path(source).as_uri(), cache_dir=folder, file_hash=hash_file(source))
        Downloading data from file://...numbers.csv
        ...
        >>> os.path.relpath(path, folder), open(path).read()
        ('datasets/numbers.csv', '1,2,3\\n')
    """
    if origin is None:
        raise ValueError('get_file: specify the "origin" argument (the URL of the file to download).')
    if hash_algorithm not in ("auto", "sha256", "md5"):
        raise ValueError(f"get_file: hash_algorithm must be 'auto', 'sha256' or 'md5'; received {hash_algorithm!r}.")
    _formats(archive_format)
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    base = os.path.expanduser(os.fspath(cache_dir) if cache_dir is not None else keras_home())
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        pass
    if not os.access(base, os.W_OK):
        base = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)

    provided = fname is not None and os.fspath(fname) != ""
    fname = os.fspath(fname) if provided else os.path.basename(urllib.parse.urlsplit(origin).path)
    if not fname:
        raise ValueError(f"get_file: can't take a file name from origin {origin!r}; pass the fname argument.")
    if os.sep in fname or (os.altsep and os.altsep in fname):
        raise ValueError(
            f"get_file: fname must be a file name, not a path; received fname={fname!r}. Use cache_dir (and "
            "cache_subdir) for the folder."
        )
    if extract or untar:
        if provided and "." in fname:
            download_target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, f"{fname[: fname.find('.')]}_extracted")
        else:
            download_target = os.path.join(datadir, f"{fname}_archive")
            extraction_dir = os.path.join(datadir, fname)
    else:
        download_target = os.path.join(datadir, fname)

    download = force_download or not os.path.exists(download_target)
    if not download and file_hash is not None:
        algorithm = _algorithm(hash_algorithm, file_hash)
        if hash_file(download_target, algorithm) != str(file_hash):
            print_msg(
                "A local file was found, but it seems to be incomplete or outdated because the "
                f"{algorithm} file hash does not match the original value of {file_hash} so we will re-download "
                "the data."
            )
            download = True
    if download:
        _download(origin, download_target)
        if file_hash is not None:
            algorithm = _algorithm(hash_algorithm, file_hash)
            if hash_file(download_target, algorithm) != str(file_hash):
                os.remove(download_target)  # so that the next call downloads again instead of finding it
                raise ValueError(
                    f"get_file: incomplete or corrupted file downloaded from {origin!r}: its {algorithm} hash "
                    f"does not match the provided value {file_hash}; the file was deleted."
                )

    if extract or untar:
        if not extract_archive(download_target, extraction_dir, "tar" if untar else archive_format):
            warnings.warn(f"get_file: could not extract {download_target!r}: not a tar or zip archive.", stacklevel=2)
        return extraction_dir
    return download_target
