"""get_file with file:// origins only (no network).

The oracle for where files land (cache folders, archive and extraction names) and for
what an archive unpacks to is Keras 3's own get_file, which runs without TensorFlow:
both are called with the same arguments on separate cache folders and compared.
Hashes are checked against hashlib; unsafe archives are built with tarfile/zipfile.
"""

import hashlib
import io
import os
import tarfile
import zipfile

import keras
import pytest

from fitorch import utils

CONTENT = b"a,b\n1,2\n"


def uri(path):
    return path.as_uri()


def tree(root):
    """{relative path: bytes} of every file under ``root``."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as file:
                found[os.path.relpath(path, root)] = file.read()
    return found


@pytest.fixture
def archives(tmp_path):
    """A data file, a .tar.gz and a .zip of a small folder, in ``tmp_path / 'src'``."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "data.csv").write_bytes(CONTENT)
    with tarfile.open(src / "folder.tar.gz", "w:gz") as archive:
        for name, data in (("folder/a.txt", b"alpha"), ("folder/sub/b.txt", b"beta")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    with zipfile.ZipFile(src / "folder.zip", "w") as archive:
        archive.writestr("folder/a.txt", b"alpha")
        archive.writestr("folder/sub/b.txt", b"beta")
    return src


@pytest.mark.parametrize(
    "file, kwargs",
    [("data.csv", dict()),
     ("data.csv", dict(fname="renamed.csv", cache_subdir="sub")),
     ("folder.tar.gz", dict(extract=True)),
     ("folder.tar.gz", dict(fname="flowers", extract=True)),
     ("folder.tar.gz", dict(fname="flowers.tgz", extract=True)),
     ("folder.tar.gz", dict(fname="flowers", untar=True)),
     ("folder.zip", dict(fname="zipped.zip", extract=True, archive_format="zip"))],
)  # fmt: skip
def test_paths_and_extraction_match_keras(tmp_path, archives, file, kwargs, capsys):
    origin = uri(archives / file)
    (tmp_path / "keras").mkdir()  # Keras writes to /tmp/.keras when cache_dir does not exist yet
    ours = utils.get_file(origin=origin, cache_dir=tmp_path / "ours", **kwargs)
    theirs = keras.utils.get_file(origin=origin, cache_dir=str(tmp_path / "keras"), **kwargs)
    assert os.path.relpath(ours, tmp_path / "ours") == os.path.relpath(theirs, tmp_path / "keras")
    assert tree(tmp_path / "ours") == tree(tmp_path / "keras")
    assert f"Downloading data from {origin}" in capsys.readouterr().out


def test_cached_file_is_not_downloaded_again(tmp_path, archives, capsys):
    source = archives / "data.csv"
    path = utils.get_file("data.csv", uri(source), cache_dir=tmp_path)
    assert os.path.dirname(path) == os.path.join(tmp_path, "datasets") and open(path, "rb").read() == CONTENT
    capsys.readouterr()
    source.write_bytes(b"changed")
    assert utils.get_file("data.csv", uri(source), cache_dir=tmp_path) == path
    assert open(path, "rb").read() == CONTENT and capsys.readouterr().out == ""
    utils.get_file("data.csv", uri(source), cache_dir=tmp_path, force_download=True)
    assert open(path, "rb").read() == b"changed"


def test_keras_home_and_absolute_cache_subdir(tmp_path, archives, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    path = utils.get_file(origin=uri(archives / "data.csv"))
    assert path == os.path.join(tmp_path, "home", "datasets", "data.csv")
    elsewhere = tmp_path / "elsewhere"
    path = utils.get_file(origin=uri(archives / "data.csv"), cache_subdir=str(elsewhere))
    assert path == os.path.join(elsewhere, "data.csv") and os.path.exists(path)


def test_hashes(tmp_path, archives, capsys):
    source = archives / "data.csv"
    sha256, md5 = hashlib.sha256(CONTENT).hexdigest(), hashlib.md5(CONTENT).hexdigest()
    assert utils.get_file(origin=uri(source), cache_dir=tmp_path / "a", file_hash=sha256).endswith("data.csv")
    utils.get_file(origin=uri(source), cache_dir=tmp_path / "b", file_hash=md5)  # 'auto': 32 digits is md5
    utils.get_file(origin=uri(source), cache_dir=tmp_path / "c", md5_hash=md5)
    with pytest.raises(ValueError, match="its sha256 hash does not match the provided value 0+; the file was deleted"):
        utils.get_file(origin=uri(source), cache_dir=tmp_path / "d", file_hash="0" * 64)
    assert not os.path.exists(tmp_path / "d" / "datasets" / "data.csv")
    with pytest.raises(ValueError, match="its md5 hash does not match"):
        utils.get_file(origin=uri(source), cache_dir=tmp_path / "d", file_hash=sha256, hash_algorithm="md5")
    # A cached file that does not match the hash is downloaded again.
    cached = tmp_path / "a" / "datasets" / "data.csv"
    cached.write_bytes(b"stale")
    capsys.readouterr()
    utils.get_file(origin=uri(source), cache_dir=tmp_path / "a", file_hash=sha256)
    assert cached.read_bytes() == CONTENT and "we will re-download the data" in capsys.readouterr().out


def test_non_archive_with_extract_warns(tmp_path, archives):
    with pytest.warns(UserWarning, match="not a tar or zip archive"):
        path = utils.get_file("plain", uri(archives / "data.csv"), cache_dir=tmp_path, extract=True)
    assert path == os.path.join(tmp_path, "datasets", "plain")


def unsafe_tar(path, member):
    with tarfile.open(path, "w") as archive:
        archive.addfile(member, io.BytesIO(b"x" * member.size))


def tar_member(name, kind=tarfile.REGTYPE, linkname=""):
    member = tarfile.TarInfo(name)
    member.type, member.linkname, member.size = kind, linkname, 1 if kind == tarfile.REGTYPE else 0
    return member


@pytest.mark.parametrize(
    "member",
    [tar_member("../escaped.txt"),
     tar_member("/tmp/absolute_escape.txt"),
     tar_member("inner/../../escaped.txt"),
     tar_member("link", tarfile.SYMTYPE, "../../outside"),
     tar_member("hard", tarfile.LNKTYPE, "../outside")],
)  # fmt: skip
def test_tar_members_outside_the_folder_are_refused(tmp_path, member):
    unsafe_tar(tmp_path / "bad.tar", member)
    with pytest.raises(ValueError, match=f"has a member '{member.name}'.* outside the extraction folder"):
        utils.get_file("bad.tar", uri(tmp_path / "bad.tar"), cache_dir=tmp_path / "cache", extract=True)
    assert not os.path.exists(tmp_path / "escaped.txt") and not os.path.exists(tmp_path / "cache" / "escaped.txt")
    assert tree(tmp_path / "cache" / "datasets" / "bad_extracted") == {}  # nothing written


def test_zip_members_outside_the_folder_are_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as archive:
        archive.writestr("fine.txt", b"ok")
        archive.writestr("../escaped.txt", b"x")
    with pytest.raises(ValueError, match="has a member '../escaped.txt' that would be written outside"):
        utils.get_file("bad.zip", uri(tmp_path / "bad.zip"), cache_dir=tmp_path / "cache", extract=True)
    assert tree(tmp_path / "cache" / "datasets" / "bad_extracted") == {}


def test_symlink_inside_the_folder_is_extracted(tmp_path):
    with tarfile.open(tmp_path / "ok.tar", "w") as archive:
        data = tar_member("dir/a.txt")
        archive.addfile(data, io.BytesIO(b"x"))
        archive.addfile(tar_member("dir/link", tarfile.SYMTYPE, "a.txt"))
    folder = utils.get_file("ok.tar", uri(tmp_path / "ok.tar"), cache_dir=tmp_path, extract=True)
    assert open(os.path.join(folder, "dir", "link"), "rb").read() == b"x"


@pytest.mark.parametrize(
    "kwargs, error, message",
    [(dict(), ValueError, 'specify the "origin" argument'),
     (dict(fname=os.path.join("a", "b.csv"), origin="file:///x"), ValueError, "fname must be a file name, not a path"),
     (dict(origin="file:///"), ValueError, "can't take a file name from origin"),
     (dict(origin="file:///x", hash_algorithm="sha1"), ValueError, "hash_algorithm must be 'auto', 'sha256' or 'md5'"),
     (dict(origin="file:///x", archive_format="rar"), ValueError, "archive_format must be 'auto', 'tar', 'zip'"),
     (dict(origin="file:///no/such/file.csv"), OSError, "URL fetch failure on file:///no/such/file.csv")],
)  # fmt: skip
def test_errors(tmp_path, kwargs, error, message):
    with pytest.raises(error, match=message):
        utils.get_file(cache_dir=tmp_path, **kwargs)
    assert not os.path.exists(tmp_path / "datasets" / "file.csv.part")
