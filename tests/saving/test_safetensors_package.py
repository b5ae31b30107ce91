"""Tensor files go through the ``safetensors`` package, after fitorch's own header checks."""

from __future__ import annotations

import io
import json
import math
import mmap
import pathlib
import struct
import zipfile

import pytest
import safetensors
import safetensors.torch
import torch

import fitorch
from fitorch.saving import UnsafeModelError, archive, load_model, load_weights, safetensors_io
from fitorch.saving.model_file import CONFIG, MEMBER_LIMITS, OPTIMIZER, WEIGHTS
from tests.saving.helpers import functional_model, raw_safetensors, read_members, write_members

_NAMES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
    torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL",
}  # fmt: skip


def _mixed_tensors() -> dict[str, torch.Tensor]:
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 7
    return {
        "f32": base,
        "f64": base.double() / 3,
        "f16": base.half(),
        "bf16": base.bfloat16(),
        "i64": torch.arange(5, dtype=torch.int64) - 2,
        "u8": torch.arange(7, dtype=torch.uint8),
        "flag": torch.tensor([True, False, True]),
        "transposed": base.t(),  # not contiguous
        "tied": base,  # the same storage under a second name
        "window": base[1:3],  # a view into it at an offset
        "empty": torch.zeros(0, 3),
        "scalar": torch.tensor(2.5),
    }


def _legacy_safetensors(tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """The bytes fitorch's own writer produced before the package wrote its files (the same format)."""
    header: dict[str, object] = {"__metadata__": metadata} if metadata else {}
    chunks, offset = [], 0
    for name, tensor in tensors.items():
        raw = tensor.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": _NAMES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(raw)]}  # fmt: skip
        chunks.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    return len(head).to_bytes(8, "little") + head + b"".join(chunks)


def _bit_equal(a: torch.Tensor, b: torch.Tensor) -> bool:
    return (
        a.dtype == b.dtype
        and a.shape == b.shape
        and a.reshape(-1).view(torch.uint8).equal(b.reshape(-1).view(torch.uint8))
    )


def test_files_fitorch_writes_load_with_the_package_directly(tmp_path):
    tensors = _mixed_tensors()
    buffer = io.BytesIO()
    safetensors_io.write(buffer, tensors, {"format": "pt", "note": "x"})
    loaded = safetensors.torch.load(buffer.getvalue())
    assert loaded.keys() == tensors.keys()
    assert all(_bit_equal(loaded[k], tensors[k]) for k in tensors)
    model = functional_model()
    model.save_weights(tmp_path / "w.safetensors")
    by_package = safetensors.torch.load_file(tmp_path / "w.safetensors")
    assert all(_bit_equal(by_package[k], v) for k, v in model.state_dict().items())
    model.save(tmp_path / "m.fitorch")
    member = safetensors.torch.load(read_members(tmp_path / "m.fitorch")["model.safetensors"])
    assert all(_bit_equal(member[k], v) for k, v in model.state_dict().items())


def test_files_written_before_the_package_load_bit_for_bit(tmp_path):
    model = functional_model()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    legacy = _legacy_safetensors(state, {"format": "pt", "fitorch": "weights"})
    (tmp_path / "old.safetensors").write_bytes(legacy)
    fresh = functional_model()
    load_weights(fresh, tmp_path / "old.safetensors")
    assert all(_bit_equal(fresh.state_dict()[k], v) for k, v in state.items())
    model.save(tmp_path / "m.fitorch")
    members = read_members(tmp_path / "m.fitorch")
    members["model.safetensors"] = _legacy_safetensors(state, {"format": "pt", "fitorch": "model"})
    restored = load_model(write_members(tmp_path / "old.fitorch", members))
    assert all(_bit_equal(restored.state_dict()[k], v) for k, v in state.items())
    # Every dtype fitorch stores, through both readers.
    tensors = {k: v for k, v in _mixed_tensors().items() if k not in ("tied", "window")}
    raw = _legacy_safetensors(tensors)
    (tmp_path / "mixed.safetensors").write_bytes(raw)
    from_file, _ = safetensors_io.read_file(tmp_path / "mixed.safetensors", "mixed")
    in_memory, _ = safetensors_io.read(bytearray(raw), "mixed")
    for name, tensor in tensors.items():
        assert _bit_equal(from_file[name], tensor) and _bit_equal(in_memory[name], tensor), name


def test_weights_files_are_memory_mapped_not_read_into_a_buffer(tmp_path):
    path = tmp_path / "big.safetensors"
    safetensors.torch.save_file({"w": torch.ones(1 << 20)}, path)
    tensors, _ = safetensors_io.read_file(path, "big")
    address = tensors["w"].data_ptr()
    with open("/proc/self/maps") as maps:
        mapped = [line.split() for line in maps]
    regions = [r for r in mapped if len(r) >= 6 and r[5] == str(path.resolve())]
    assert any(int(r[0].split("-")[0], 16) <= address < int(r[0].split("-")[1], 16) for r in regions)


def test_the_package_sees_a_file_only_after_fitorchs_checks(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the package was handed a file fitorch had not checked")

    monkeypatch.setattr(safetensors, "safe_open", refuse)
    header = {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
              "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}  # fmt: skip
    (tmp_path / "overlap.safetensors").write_bytes(raw_safetensors(header, bytes(16)))
    with pytest.raises(UnsafeModelError, match="overlaps the previous tensor"):
        safetensors_io.read_file(tmp_path / "overlap.safetensors", "overlap")
    huge = {"w": {"dtype": "F32", "shape": [10**8, 10**8], "data_offsets": [0, 4 * 10**16]}}
    (tmp_path / "huge.safetensors").write_bytes(raw_safetensors(huge, b""))
    with pytest.raises(UnsafeModelError, match="past the end of the file"):
        safetensors_io.read_file(tmp_path / "huge.safetensors", "huge")
    (tmp_path / "long.safetensors").write_bytes((2**40).to_bytes(8, "little") + b"{}")
    with pytest.raises(UnsafeModelError, match="declares a 1099511627776-byte header"):
        safetensors_io.read_file(tmp_path / "long.safetensors", "long")


def test_same_tensors_give_the_same_bytes_with_the_metadata_in_the_order_given(tmp_path):
    """The package keeps metadata in a hash map (its order changes per process); fitorch writes it in order."""
    metadata = {f"key{i}": str(i) for i in range(8)}
    tensors = _mixed_tensors()
    first, second = io.BytesIO(), io.BytesIO()
    safetensors_io.write(first, tensors, metadata)
    safetensors_io.write(second, tensors, metadata)
    assert first.getvalue() == second.getvalue()
    length = int.from_bytes(first.getvalue()[:8], "little")
    assert list(json.loads(first.getvalue()[8 : 8 + length])["__metadata__"]) == list(metadata)
    assert (8 + length) % 8 == 0
    with safetensors.safe_open(_saved(tmp_path, first.getvalue()), framework="pt") as opened:
        assert opened.metadata() == metadata


def _saved(tmp_path, raw: bytes) -> str:
    path = tmp_path / "written.safetensors"
    path.write_bytes(raw)
    return str(path)


def test_a_model_archive_holds_package_files_and_stays_reproducible(tmp_path):
    model = functional_model()
    model.compile("adam", "sparse_categorical_crossentropy")
    x = torch.rand(16, 6).numpy()
    model.fit(x, (x.sum(1) * 1.4).astype("int64") % 3, epochs=1, verbose=0)
    model.save(tmp_path / "a.fitorch")
    model.save(tmp_path / "b.fitorch")
    assert (tmp_path / "a.fitorch").read_bytes() == (tmp_path / "b.fitorch").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.fitorch") as archive:
        optimizer = safetensors.torch.load(archive.read("optimizer.safetensors"))
    assert optimizer and all(not math.isnan(float(v.float().sum())) for v in optimizer.values())
    restored = fitorch.saving.load_model(tmp_path / "a.fitorch")
    assert all(_bit_equal(restored.state_dict()[k], v) for k, v in model.state_dict().items())


def _data_offset(path, name: str) -> int:
    """Where a member's bytes start in the file, read from its local header (what a mapping reader uses)."""
    raw = pathlib.Path(path).read_bytes()
    with zipfile.ZipFile(path) as archive:
        start = archive.getinfo(name).header_offset
    name_length, extra_length = struct.unpack("<HH", raw[start + 26 : start + 30])
    return start + 30 + name_length + extra_length


def _mapped_regions(path) -> list[tuple[int, int]]:
    with open("/proc/self/maps") as maps:
        rows = [line.split() for line in maps]
    return [tuple(int(part, 16) for part in r[0].split("-")) for r in rows if len(r) >= 6 and r[5] == str(path)]


def test_model_archive_tensors_are_aligned_in_the_file_and_loaded_as_views_of_a_map(tmp_path):
    model = functional_model()
    model.compile("adam", "mse")
    model.fit(torch.rand(8, 6).numpy(), torch.rand(8, 3).numpy(), epochs=1, verbose=0)
    path = (tmp_path / "m.fitorch").resolve()
    model.save(path)
    for name in (WEIGHTS, OPTIMIZER):
        assert _data_offset(path, name) % 64 == 0, name
    members = archive.read_archive(path, MEMBER_LIMITS, mapped=(WEIGHTS, OPTIMIZER))
    assert isinstance(members[WEIGHTS], memoryview) and isinstance(members[WEIGHTS].obj, mmap.mmap)
    assert isinstance(members[CONFIG], bytearray)  # small JSON members are read as before
    tensors, _ = safetensors_io.read(members[WEIGHTS], "weights")
    regions = _mapped_regions(path)
    for name, tensor in tensors.items():
        if tensor.numel():
            assert any(low <= tensor.data_ptr() < high for low, high in regions), f"{name} was copied"
        assert _bit_equal(tensor, model.state_dict()[name]), name
    restored = load_model(path)
    assert all(_bit_equal(restored.state_dict()[k], v) for k, v in model.state_dict().items())


def test_writing_into_a_mapped_tensor_never_reaches_the_file(tmp_path):
    path = (tmp_path / "m.fitorch").resolve()
    functional_model().save(path)
    before = path.read_bytes()
    members = archive.read_archive(path, MEMBER_LIMITS, mapped=(WEIGHTS,))
    tensors, _ = safetensors_io.read(members[WEIGHTS], "weights")
    for tensor in tensors.values():
        tensor.fill_(7)
    del tensors, members
    assert path.read_bytes() == before


def test_a_mapped_member_is_checked_as_a_read_member_is(tmp_path):
    path = tmp_path / "m.fitorch"
    functional_model().save(path)
    raw = bytearray(path.read_bytes())
    raw[_data_offset(path, WEIGHTS) + 200] ^= 0xFF  # a flipped bit in the tensor data
    (tmp_path / "flipped.fitorch").write_bytes(raw)
    with pytest.raises(UnsafeModelError, match="Bad CRC-32 for file 'model.safetensors'"):
        load_model(tmp_path / "flipped.fitorch")
    with pytest.raises(UnsafeModelError, match="Bad CRC-32"):
        load_weights(functional_model(), tmp_path / "flipped.fitorch")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as opened:
        start = opened.getinfo(WEIGHTS).header_offset
    raw[start + 30] = ord("x")  # the local header names another file than the directory does
    (tmp_path / "renamed.fitorch").write_bytes(raw)
    with pytest.raises(UnsafeModelError, match="in its local header"):
        load_model(tmp_path / "renamed.fitorch")


def test_archives_written_without_alignment_still_load(tmp_path):
    """Files from before the alignment, or re-zipped by another tool: misaligned tensors are copied, not misread."""
    model = functional_model()
    model.save(tmp_path / "m.fitorch")
    members = read_members(tmp_path / "m.fitorch")
    # A one-byte name before the weights shifts them off any 2-, 4- or 8-byte boundary.
    write_members(tmp_path / "plain.fitorch", [("metadata.json", members["metadata.json"]),
                                               ("config.json", members["config.json"] + b" "),
                                               (WEIGHTS, members[WEIGHTS])])  # fmt: skip
    assert _data_offset(tmp_path / "plain.fitorch", WEIGHTS) % 4 != 0
    restored = load_model(tmp_path / "plain.fitorch")
    assert all(_bit_equal(restored.state_dict()[k], v) for k, v in model.state_dict().items())


@pytest.mark.parametrize("zip64", [False, True])
@pytest.mark.parametrize("offset", [0, 1, 61, 62, 63, 100])
def test_the_padding_field_aligns_the_data_as_zipfile_lays_out_the_header(offset, zip64):
    buffer = io.BytesIO(bytes(offset))  # the member follows whatever came before it in the file
    buffer.seek(offset)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as written:
        info = zipfile.ZipInfo(WEIGHTS, date_time=(1980, 1, 1, 0, 0, 0))
        info.extra = archive._alignment_padding(offset, len(WEIGHTS), zip64)
        with written.open(info, "w", force_zip64=zip64) as member:
            member.write(b"data")
    raw = buffer.getvalue()
    name_length, extra_length = struct.unpack("<HH", raw[offset + 26 : offset + 30])
    begin = offset + 30 + name_length + extra_length
    assert begin % 64 == 0 and raw[begin : begin + 4] == b"data"
