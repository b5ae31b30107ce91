"""Crafted model files, one test per attack; each names the published advisory it mirrors.

Every test builds a malicious file and checks three things:

* loading raises ``fitorch.saving.UnsafeModelError`` (a ``ValueError``);
* the marker file the payload would create is never created;
* nothing is written outside the test's temp dir (an audit hook records every write).
"""

from __future__ import annotations

import base64
import json
import marshal
import os
import pathlib
import pickle
import resource
import stat
import struct
import sys
import time
import zipfile

import h5py
import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.saving import UnsafeModelError, load_model, load_weights, register_serializable
from tests.saving.helpers import (
    WriteRecorder,
    functional_model,
    raw_safetensors,
    read_members,
    safetensors_bytes,
    saved_model,
    with_config,
    write_members,
)


def assert_refused(path, tmp_path, marker, *, match=None, loader=load_model, **kwargs):
    """Loading ``path`` raises UnsafeModelError, the marker never appears, nothing is written anywhere."""
    recorder = WriteRecorder()
    start = time.perf_counter()
    with recorder.recording(), pytest.raises(UnsafeModelError, match=match) as info:
        if loader is load_weights:
            load_weights(functional_model(), path)
        else:
            loader(path, **kwargs)
    assert time.perf_counter() - start < 5, "refusing a crafted file must be cheap"
    assert not marker.exists(), "the payload ran"
    assert recorder.outside(tmp_path) == [], f"written outside the temp dir: {recorder.outside(tmp_path)}"
    assert recorder.events == [], f"loading wrote files: {recorder.events}"
    assert isinstance(info.value, ValueError)
    return info.value


class Payload:
    """Unpickling this runs ``touch <marker>``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


# ---------------------------------------------------------------------- 1. pickles
def test_pickle_payload_in_any_member_is_never_unpickled(tmp_path):
    """A pickle anywhere, even named .safetensors or .json (the torch.load pickle RCE class, CVE-2025-32434)."""
    marker = tmp_path / "pwned"
    payload = pickle.dumps(Payload(marker))
    pickle.loads(payload)  # the payload is live: unpickling it does create the marker
    assert marker.exists()
    marker.unlink()
    good = read_members(saved_model(tmp_path))
    crafted = {
        "as_config_json": {**good, "config.json": payload},
        "as_model_safetensors": {**good, "model.safetensors": payload},
        "as_optimizer_safetensors": {**good, "optimizer.safetensors": payload},
        "as_metadata_json": {**good, "metadata.json": payload},
        "extra_data_pkl": {**good, "data.pkl": payload},
        "torch_save_layout": {"archive/data.pkl": payload, "archive/version": b"3"},
    }
    for name, members in crafted.items():
        path = write_members(tmp_path / f"{name}.fitorch", members)
        assert_refused(path, tmp_path, marker)
        assert_refused(path, tmp_path, marker, loader=load_weights)
    bare = tmp_path / "weights.safetensors"
    bare.write_bytes(payload)
    assert_refused(bare, tmp_path, marker, match="never unpickles")
    assert_refused(bare, tmp_path, marker, loader=load_weights, match="never unpickles")
    torch.save({"w": Payload(marker)}, tmp_path / "checkpoint.pt")
    assert_refused(tmp_path / "checkpoint.pt", tmp_path, marker, match="never unpickles")


# ---------------------------------------------------------------------- 2. class names outside the registry
DANGEROUS_NAMES = ["os.system", "builtins.eval", "subprocess.Popen", "importlib.import_module",
                   "posixpath.join", "torch.load", "numpy.load", "fitorch.saving.model_file.load_model"]  # fmt: skip


def _replace_layer(config, name, entry):
    layers_list = config["model"]["config"]["layers"]
    index = next(i for i, layer in enumerate(layers_list) if layer["name"] == name)
    layers_list[index] = {**entry, "name": name}
    return config


@pytest.mark.parametrize("dotted", DANGEROUS_NAMES)
def test_class_and_function_names_outside_the_registry(tmp_path, dotted):
    """Names that point into Python modules (CVE-2025-1550: Keras imported the module a config named)."""
    marker = tmp_path / "pwned"
    command = {"command": f"touch {marker}", "args": [f"touch {marker}"], "source": f"open('{marker}', 'w')"}
    path = saved_model(tmp_path)
    as_layer = with_config(path, lambda c: _replace_layer(c, "hidden", {"class_name": dotted, "config": command}))
    assert_refused(as_layer, tmp_path, marker, match="dotted path into a Python module.*CVE-2025-1550")

    def nested_initializer(config):
        hidden = next(layer for layer in config["model"]["config"]["layers"] if layer["name"] == "hidden")
        hidden["config"]["kernel_initializer"] = {"class_name": dotted, "config": command}
        return config

    assert_refused(with_config(path, nested_initializer), tmp_path, marker)

    def optimizer(config):
        config["compile_config"]["optimizer"] = {"class_name": dotted, "config": command}
        return config

    assert_refused(with_config(path, optimizer), tmp_path, marker, match="CVE-2025-1550")

    def loss(config):
        config["compile_config"]["loss"] = {"function_name": dotted}
        return config

    assert_refused(with_config(path, loss), tmp_path, marker, match="CVE-2025-1550")

    def keras_style_module_key(config):
        module, _, name = dotted.rpartition(".")
        return _replace_layer(config, "hidden", {"module": module, "class_name": name, "config": command})

    assert_refused(with_config(path, keras_style_module_key), tmp_path, marker, match="unexpected keys")
    assert_refused(with_config(path, lambda c: _replace_layer(c, "hidden", {"class_name": dotted[::-1].replace(".", ">", 1)[::-1],
                                                                               "config": command})),
                   tmp_path, marker, match="Unknown layer")  # fmt: skip


# ---------------------------------------------------------------------- 3. Lambda code
def _marker_function(marker):
    def evil(x):
        open(marker, "w").close()
        return x

    return evil


def _lambda_model(tmp_path, function_entry):
    inputs = layers.Input(shape=(3,), name="x")
    stand_in = layers.Activation("linear", name="fn")(inputs)
    model = fitorch.Model(inputs, layers.Dense(2, name="out")(stand_in))
    model.save(tmp_path / "stand_in.fitorch")
    return model, with_config(
        tmp_path / "stand_in.fitorch",
        lambda c: _replace_layer(
            c, "fn", {"class_name": "Lambda", "config": {"name": "fn", "function": function_entry}}
        ),
    )


def double(x):
    return x * 2


def test_lambda_with_marshalled_or_source_code(tmp_path):
    """A Lambda carrying code (CVE-2024-3660); refused, and code is never run even with safe_mode=False."""
    marker = tmp_path / "pwned"
    code = base64.b64encode(marshal.dumps(_marker_function(str(marker)).__code__)).decode()
    variants = {
        "keras3_marshal": {"class_name": "__lambda__", "config": {"code": code, "defaults": None, "closure": None}},
        "source": {"source": f"lambda x: open({str(marker)!r}, 'w') or x"},
        "code_key": {"code": code},
    }
    for variant in variants.values():
        _, path = _lambda_model(tmp_path, variant)
        assert_refused(path, tmp_path, marker, match="CVE-2024-3660")
        assert_refused(path, tmp_path, marker, match="never runs code stored in a file", safe_mode=False)
    # With safe_mode=False, a Lambda naming a function the caller passes is allowed (documented as dangerous).
    model, path = _lambda_model(tmp_path, {"function_name": "double"})
    assert_refused(path, tmp_path, marker, match="safe_mode=False")
    with pytest.raises(UnsafeModelError, match=r"custom_objects=\{'double'"):
        load_model(path, safe_mode=False)
    restored = load_model(path, safe_mode=False, custom_objects={"double": double})
    x = np.random.rand(2, 3).astype("float32")
    out = restored.get_layer("out")
    expected = (torch.from_numpy(x) * 2) @ out.weight.detach().T + out.bias.detach()
    np.testing.assert_allclose(restored.predict(x, verbose=0), expected.numpy(), rtol=1e-6)


# ---------------------------------------------------------------------- 4. fitorch's own APIs
@register_serializable(package="gadgets")
class ReadsAPath(layers.Layer):
    """Stands for a layer that reads a file named in its config (Keras' StringLookup vocabulary)."""

    def __init__(self, vocabulary=None, **kwargs):
        super().__init__(**kwargs)
        with open(vocabulary) as handle:
            self.vocabulary = handle.read().split()

    def call(self, x):
        return x

    def get_config(self):
        return {**super().get_config(), "vocabulary": self.vocabulary}


@register_serializable(package="gadgets")
class LoadsAnotherModel(layers.Layer):
    """Stands for a config that makes fitorch load another file with safe mode off (CVE-2025-9906 pattern)."""

    def __init__(self, path=None, **kwargs):
        super().__init__(**kwargs)
        self.inner = fitorch.saving.load_model(path, safe_mode=False)

    def call(self, x):
        return x


@register_serializable(package="gadgets")
class Fetches(layers.Layer):
    """Stands for a config that makes a fitorch API download a file (keras.utils.get_file, CVE-2025-8747)."""

    def __init__(self, url=None, **kwargs):
        super().__init__(**kwargs)
        import urllib.request

        urllib.request.urlopen(url, timeout=0.5)

    def call(self, x):
        return x


def test_config_that_turns_fitorch_apis_against_the_user(tmp_path):
    """Configs that call fitorch's own APIs to flip safe mode, fetch files or read paths (CVE-2025-8747,
    CVE-2025-9906, CVE-2025-12058). Safe mode's side-effect guard refuses them whatever class does it."""
    marker = tmp_path / "pwned"
    secret = tmp_path / "secret.txt"
    secret.write_text("token hunter2")
    path = saved_model(tmp_path, compiled=False)
    # The Lambda model a flipped safe mode would let through.
    _, evil_lambda = _lambda_model(tmp_path, {"function_name": "double"})
    gadgets = {
        "read_path": {"class_name": "gadgets>ReadsAPath", "config": {"name": "hidden", "vocabulary": str(secret)}},
        "flip_safe_mode": {
            "class_name": "gadgets>LoadsAnotherModel",
            "config": {"name": "hidden", "path": str(evil_lambda)},
        },
        "fetch": {
            "class_name": "gadgets>Fetches",
            "config": {"name": "hidden", "url": f"http://127.0.0.1:9/{marker.name}"},
        },
        "fitorch_api_by_name": {"class_name": "fitorch>load_model", "config": {"filepath": str(evil_lambda)}},
        "fitorch_config_by_path": {"class_name": "fitorch.config.set_floatx", "config": {"dtype": "float64"}},
    }
    for name, entry in gadgets.items():
        crafted = with_config(path, lambda c, e=entry: _replace_layer(c, "hidden", e))
        error = assert_refused(crafted, tmp_path, marker)
        if name in ("read_path", "flip_safe_mode", "fetch"):
            assert "lifts this guard" in str(error), name
    assert fitorch.config.floatx() == "float32"
    # safe_mode is an argument of each call, never state a file can set.
    flag = with_config(path, lambda c: {**c, "safe_mode": False})
    assert_refused(flag, tmp_path, marker, match="must hold exactly")
    # The guard is what stops the gadgets: without it the path is read (so the test can fail).
    crafted = with_config(path, lambda c: _replace_layer(c, "hidden", gadgets["read_path"]))
    with pytest.raises(UnsafeModelError, match="architecture in the file does not match"):
        load_model(crafted, safe_mode=False)


# ---------------------------------------------------------------------- 5. paths that escape
def test_member_paths_that_escape_and_layer_names_with_separators(tmp_path):
    """Zip-slip members, absolute paths, symlinks, and path separators in layer names (CVE-2026-12479)."""
    root = tmp_path / "extract"
    root.mkdir()
    marker = tmp_path / "pwned"
    good = read_members(saved_model(root))
    escaping = ["../pwned", "../../pwned", "/tmp/pwned", "C:\\pwned", "..\\pwned", "sub/config.json", "./config.json"]
    for index, name in enumerate(escaping):
        path = write_members(root / f"slip{index}.fitorch", {**good, name: b"{}"})
        assert_refused(path, tmp_path, marker, match="flat file names")
    link = zipfile.ZipInfo("config.json")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(root / "symlink.fitorch", "w") as archive:
        for name, data in good.items():
            if name == "config.json":
                archive.writestr(link, "/etc/passwd")
            else:
                archive.writestr(name, data)
    assert_refused(root / "symlink.fitorch", tmp_path, marker, match="symlink")
    duplicate = write_members(root / "dup.fitorch", [*good.items(), ("config.json", b"{}")])
    assert_refused(duplicate, tmp_path, marker, match="duplicate")
    for bad in ["../../pwned", "a/b", "a\\b", "..", "name.with.dots", "tab\tname", "", " padded"]:
        crafted = with_config(root / "model.fitorch", lambda c, b=bad: _rename_layer(c, "hidden", b))
        assert_refused(crafted, tmp_path, marker, match="CVE-2026-12479")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extract"]


def _rename_layer(config, old, new):
    text = json.dumps(config).replace(f'"{old}"', json.dumps(new))
    return json.loads(text)


# ---------------------------------------------------------------------- 6. resource bombs
def _max_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_resource_bombs_are_rejected_cheaply(tmp_path):
    """Huge declared shapes, a zip bomb, enormous or deep JSON (CVE-2026-0897); memory stays bounded."""
    marker = tmp_path / "pwned"
    path = saved_model(tmp_path)
    good = read_members(path)
    rss_before = _max_rss_mib()
    # A config declaring a layer far bigger than the weights that back it.
    huge_layer = with_config(path, lambda c: _set_units(c, "hidden", 10**9))
    assert_refused(huge_layer, tmp_path, marker, match="resource bomb")
    huge_layer = with_config(path, lambda c: _set_units(c, "hidden", 10**15))
    assert_refused(huge_layer, tmp_path, marker)
    # A tensor table declaring petabytes.
    header = {"w": {"dtype": "F32", "shape": [10**8, 10**8], "data_offsets": [0, 4 * 10**16]}}
    bomb = write_members(tmp_path / "shape_bomb.fitorch", {**good, "model.safetensors": raw_safetensors(header, b"")})
    assert_refused(bomb, tmp_path, marker, match="tensor")
    header_length = write_members(
        tmp_path / "header_len.fitorch", {**good, "model.safetensors": (2**63).to_bytes(8, "little") + b"{}"}
    )
    assert_refused(header_length, tmp_path, marker, match="header")
    # A zip bomb: 64 MiB of zeros deflated to ~64 KiB, then the same member declared as 2**40 bytes.
    zeros = write_members(tmp_path / "zip_bomb.fitorch", {**good, "model.safetensors": bytes(64 << 20)},
                          compression=zipfile.ZIP_DEFLATED)  # fmt: skip
    assert_refused(zeros, tmp_path, marker, match="zip bomb")
    assert_refused(_declare_size(zeros, "model.safetensors", 0xFFFFFFF0), tmp_path, marker)
    # Enormous and deeply nested JSON.
    big = write_members(tmp_path / "big_json.fitorch", {**good, "config.json": b" " * (65 << 20)},
                        compression=zipfile.ZIP_DEFLATED)  # fmt: skip
    assert_refused(big, tmp_path, marker, match="limit")
    deep = write_members(tmp_path / "deep.fitorch", {**good, "config.json": b"[" * 100_000 + b"]" * 100_000})
    assert_refused(deep, tmp_path, marker, match="nested")
    wide = write_members(tmp_path / "wide.fitorch", {**good, "config.json": b"[" + b"0," * 6_000_000 + b"0]"})
    assert_refused(wide, tmp_path, marker, match="values")
    long_int = write_members(tmp_path / "int.fitorch", {**good, "config.json": b"9" * 100_000})
    assert_refused(long_int, tmp_path, marker, match="integer")
    many = write_members(tmp_path / "many.fitorch", [*good.items(), *((f"m{i}.json", b"") for i in range(5000))])
    assert_refused(many, tmp_path, marker, match="members")
    assert _max_rss_mib() - rss_before < 400, "a bomb was allocated"


def _set_units(config, name, units):
    for layer in config["model"]["config"]["layers"]:
        if layer["name"] == name:
            layer["config"]["units"] = units
    return config


def _declare_size(path, member, size):
    """A copy of ``path`` whose central directory declares ``member`` to be ``size`` bytes."""
    data = bytearray(path.read_bytes())
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + name_length] == member.encode():
            data[position + 24 : position + 28] = size.to_bytes(4, "little")
        position = data.find(b"PK\x01\x02", position + 4)
    out = path.with_name("declared.fitorch")
    out.write_bytes(bytes(data))
    return out


# ---------------------------------------------------------------------- 7. malformed safetensors
def test_malformed_safetensors(tmp_path):
    """Overlapping or out-of-range offsets, a dtype that does not match the size, trailing data, gaps.

    No Keras advisory: Keras weights are HDF5. These are the header checks the safetensors format
    relies on, applied by fitorch's own reader before any tensor is made."""
    marker = tmp_path / "pwned"
    good = read_members(saved_model(tmp_path, compiled=False))
    tensors = {"a": torch.arange(4.0), "b": torch.arange(2.0)}
    cases = {
        "overlap": ({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                     "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}, bytes(16), "overlaps"),
        "out_of_range": ({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}, bytes(8), "past the end"),
        "dtype_size": ({"a": {"dtype": "F64", "shape": [4], "data_offsets": [0, 16]}}, bytes(16), "spans 16 bytes"),
        "trailing": ({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}, bytes(24), "trailing data"),
        "gap": ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}, bytes(16), "gap"),
        "negative": ({"a": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}}, bytes(4), "data_offsets"),
        "bad_dtype": ({"a": {"dtype": "PY_OBJECT", "shape": [1], "data_offsets": [0, 4]}}, bytes(4), "dtype"),
        "bad_shape": ({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, bytes(4), "shape"),
        "extra_key": ({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4], "pickle": "x"}}, bytes(4), "exactly"),
    }  # fmt: skip
    files = {name: (raw_safetensors(header, data), match) for name, (header, data, match) in cases.items()}
    valid = safetensors_bytes(tensors)
    files["truncated"] = (valid[:-3], "past the end")
    files["not_json"] = (len(b"{nope").to_bytes(8, "little") + b"{nope" + bytes(8), "JSON")
    files["duplicate_key"] = (len(b'{"a":1,"a":2}').to_bytes(8, "little") + b'{"a":1,"a":2}', "duplicate")
    for name, (data, match) in files.items():
        bare = tmp_path / f"{name}.safetensors"
        bare.write_bytes(data)
        assert_refused(bare, tmp_path, marker, match=match, loader=load_weights)
        inside = write_members(tmp_path / f"{name}.fitorch", {**good, "model.safetensors": data})
        assert_refused(inside, tmp_path, marker, match=match)


# ---------------------------------------------------------------------- 8. Keras files
def _keras_config(layers_list, inputs, outputs):
    return {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
            "config": {"name": "k", "trainable": True, "layers": layers_list, "input_layers": inputs,
                       "output_layers": outputs}}  # fmt: skip


def _keras_input():
    return {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None, "name": "inp",
            "config": {"batch_shape": [None, 3], "dtype": "float32", "name": "inp"}, "inbound_nodes": []}  # fmt: skip


def _keras_call(entry):
    tensor = {
        "class_name": "__keras_tensor__",
        "config": {"shape": [None, 3], "dtype": "float32", "keras_history": ["inp", 0, 0]},
    }
    return {**entry, "name": entry["config"]["name"], "inbound_nodes": [{"args": [tensor], "kwargs": {}}]}


def test_keras_files_carrying_the_attacks(tmp_path):
    """Legacy .h5 and .keras files through fitorch.load_model: safe mode is never skipped (CVE-2025-9905)."""
    marker = tmp_path / "pwned"
    code = base64.b64encode(marshal.dumps(_marker_function(str(marker)).__code__)).decode()
    keras_lambda = _keras_call({"module": "keras.layers", "class_name": "Lambda", "registered_name": None, "config": {
        "name": "evil", "function": {"class_name": "__lambda__", "config": {"code": code}}}})  # fmt: skip
    keras2_lambda = _keras_call({"class_name": "Lambda", "config": {"name": "evil", "function": [code, None, None],
                                                                    "function_type": "lambda"}})  # fmt: skip
    os_system = _keras_call({"module": "os", "class_name": "system", "registered_name": None,
                             "config": {"name": "evil", "command": f"touch {marker}"}})  # fmt: skip
    dotted = _keras_call({"module": "keras.layers", "class_name": "subprocess.Popen", "config": {"name": "evil"}})
    initializer = _keras_call({"module": "keras.layers", "class_name": "Dense", "config": {
        "name": "evil", "units": 2, "kernel_initializer": {"module": "builtins", "class_name": "eval",
                                                           "config": {"source": f"open('{marker}','w')"}}}})  # fmt: skip
    configs = {
        "lambda_marshal": (keras_lambda, "CVE-2024-3660"),
        "keras2_lambda": (keras2_lambda, "CVE-2024-3660"),
        "module_os": (os_system, "CVE-2025-1550"),
        "dotted_class": (dotted, "CVE-2025-1550"),
        "module_in_initializer": (initializer, "CVE-2025-1550"),
    }
    for name, (layer, match) in configs.items():
        config = _keras_config([_keras_input(), layer], ["inp", 0, 0], ["evil", 0, 0])
        archive_path = write_members(tmp_path / f"{name}.keras", {"config.json": json.dumps(config).encode(),
                                                                   "metadata.json": b"{}"})  # fmt: skip
        assert_refused(archive_path, tmp_path, marker, match=match)
        if name.startswith(("lambda", "keras2")):
            assert_refused(archive_path, tmp_path, marker, match="never runs code", safe_mode=False)
        legacy = tmp_path / f"{name}.h5"
        with h5py.File(legacy, "w") as handle:
            handle.attrs["model_config"] = json.dumps(config)
            handle.create_group("model_weights").attrs["layer_names"] = [b"inp", b"evil"]
        assert_refused(legacy, tmp_path, marker, match=match)
    # A .keras archive with a pickle member or a member that escapes.
    config = _keras_config([_keras_input()], ["inp", 0, 0], ["inp", 0, 0])
    for extra in ("data.pkl", "../pwned", "assets/../../pwned"):
        path = write_members(
            tmp_path / "extra.keras", {"config.json": json.dumps(config).encode(), extra: pickle.dumps(Payload(marker))}
        )
        assert_refused(path, tmp_path, marker)


def test_keras_weights_that_point_at_other_files(tmp_path):
    """HDF5 soft/external links and external storage could read other files; weights may only be hard links."""
    marker = tmp_path / "pwned"
    model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as handle:
        handle["kernel"] = np.ones((3, 2), "float32")
    secret = tmp_path / "secret.bin"
    secret.write_bytes(np.ones(6, "float32").tobytes())
    for kind in ("external_link", "soft_link", "external_storage", "huge_sparse"):
        path = tmp_path / f"{kind}.weights.h5"
        with h5py.File(path, "w") as handle:
            variables = handle.create_group("layers/dense/vars")
            if kind == "external_link":
                variables["0"] = h5py.ExternalLink(str(other), "kernel")
            elif kind == "soft_link":
                handle["elsewhere"] = np.ones((3, 2), "float32")
                variables["0"] = h5py.SoftLink("/elsewhere")
            elif kind == "external_storage":
                variables.create_dataset("0", shape=(3, 2), dtype="float32", external=[(str(secret), 0, 24)])
            else:
                variables.create_dataset("0", shape=(10**6, 10**6), dtype="float32", chunks=(1, 1))
            variables["1"] = np.zeros(2, "float32")
        recorder = WriteRecorder()
        with recorder.recording(), pytest.raises(UnsafeModelError):
            model.load_weights(path)
        assert recorder.events == [] and not marker.exists()


# ---------------------------------------------------------------------- documented error type
def test_refusals_are_value_errors_and_importable_from_the_package():
    assert issubclass(UnsafeModelError, ValueError)
    assert fitorch.saving.UnsafeModelError is UnsafeModelError


# ---------------------------------------------------------------------- 8. the guard's scope
@register_serializable(package="gadgets")
def touches_a_marker():
    """A registered function with a side effect: a file naming it as its model class must not get it called."""
    (pathlib.Path(os.environ["FITORCH_TEST_MARKER"])).touch()
    return fitorch.Sequential([layers.Dense(2)])


@register_serializable(package="gadgets")
class ImportsLazily(layers.Layer):
    """Stands for a layer whose code imports a module the first time it is built (as torch does)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        import fitorch_lazily_imported_probe  # a module written by the test, never imported before

        self.factor = fitorch_lazily_imported_probe.FACTOR

    def call(self, x):
        return x * self.factor


def test_a_registered_function_is_never_called_as_a_model_class(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    monkeypatch.setenv("FITORCH_TEST_MARKER", str(marker))
    model = fitorch.wrap(torch.nn.Sequential(torch.nn.Linear(3, 2)))
    model.save(tmp_path / "plain.fitorch")
    crafted = with_config(
        tmp_path / "plain.fitorch", lambda c: {**c, "model": {**c["model"], "class_name": "gadgets>touches_a_marker"}}
    )
    assert_refused(crafted, tmp_path, marker, match="not a model class; it was not called")


def test_reading_a_python_file_is_refused_like_any_other_file(tmp_path):
    """The guard used to let any path ending in .py be read; only the import system may read modules now."""
    marker = tmp_path / "pwned"
    settings = tmp_path / "local_settings.py"
    settings.write_text("SECRET_KEY = 'hunter2'\n")
    path = saved_model(tmp_path, compiled=False)
    entry = {"class_name": "gadgets>ReadsAPath", "config": {"name": "hidden", "vocabulary": str(settings)}}
    crafted = with_config(path, lambda c: _replace_layer(c, "hidden", entry))
    error = assert_refused(crafted, tmp_path, marker, match="local_settings.py")
    assert "hunter2" not in str(error)


def test_modules_imported_lazily_during_a_load_are_allowed(tmp_path, monkeypatch):
    """What torch or a layer imports on its own is not the file's doing (torch._dynamo broke every fresh load)."""
    (tmp_path / "fitorch_lazily_imported_probe.py").write_text("FACTOR = 3.0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fitorch_lazily_imported_probe", raising=False)
    inputs = layers.Input(shape=(2,))
    model = fitorch.Model(inputs, ImportsLazily(name="lazy")(inputs))
    model.save(tmp_path / "lazy.fitorch")
    del sys.modules["fitorch_lazily_imported_probe"]  # the load imports it afresh, under the guard
    restored = load_model(tmp_path / "lazy.fitorch")
    assert "fitorch_lazily_imported_probe" in sys.modules
    x = np.ones((1, 2), dtype="float32")
    np.testing.assert_array_equal(restored.predict(x, verbose=0), 3 * x)


# ---------------------------------------------------------------------- 9. declared sizes and names
def _with_zip64_size(path, member, size):
    """A copy of ``path`` whose central directory declares ``member`` as ``size`` bytes in a zip64 extra field."""
    data = bytearray(path.read_bytes())
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_length, extra_length = struct.unpack("<HH", data[position + 28 : position + 32])
        name = bytes(data[position + 46 : position + 46 + name_length])
        if name == member.encode():
            compressed = int.from_bytes(data[position + 20 : position + 24], "little")
            data[position + 20 : position + 28] = b"\xff" * 8
            data[position + 30 : position + 32] = (extra_length + 20).to_bytes(2, "little")
            insert_at = position + 46 + name_length
            data[insert_at:insert_at] = struct.pack("<HHQQ", 1, 16, size, compressed)
            end = data.rfind(b"PK\x05\x06")
            directory_size = int.from_bytes(data[end + 12 : end + 16], "little")
            data[end + 12 : end + 16] = (directory_size + 20).to_bytes(4, "little")
            break
        position = data.find(b"PK\x01\x02", position + 4)
    out = path.with_name("zip64.fitorch")
    out.write_bytes(bytes(data))
    return out


def test_declared_sizes_are_checked_against_the_real_file_before_allocating(tmp_path):
    """A 1.3 KB file made the loader allocate 2 GiB; a zip64 size of 2**45 raised a raw MemoryError."""
    marker = tmp_path / "pwned"
    path = saved_model(tmp_path)
    rss_before = _max_rss_mib()
    assert_refused(_declare_size(path, "model.safetensors", 0x7FFFFFF0), tmp_path, marker, match="declares")
    zip64 = _with_zip64_size(path, "model.safetensors", 2**45)
    assert_refused(zip64, tmp_path, marker, match="declares")
    assert_refused(zip64, tmp_path, marker, match="declares", loader=load_weights)
    assert _max_rss_mib() - rss_before < 400, "a declared size was allocated"


def test_names_too_long_to_be_typos_get_no_suggestions(tmp_path):
    """A 57 MB activation name took 10-17 s and 2.6 GiB in difflib's close-match search."""
    marker = tmp_path / "pwned"
    path = saved_model(tmp_path, compiled=False)

    def long_activation(config):
        hidden = next(layer for layer in config["model"]["config"]["layers"] if layer["name"] == "hidden")
        hidden["config"]["activation"] = "relu" * 1_000_000
        return config

    error = assert_refused(with_config(path, long_activation), tmp_path, marker)
    assert len(str(error)) < 5000
    with pytest.raises(ValueError, match="Did you mean 'relu'"):
        layers.Dense(2, activation="rleu")


def test_json_nesting_is_bounded_before_parsing(tmp_path):
    """60 MB of nested lists under the comma count took 20-32 s and 3.1 GiB before the refusal."""
    marker = tmp_path / "pwned"
    good = read_members(saved_model(tmp_path))
    group = b"[" * 999 + b"]" * 999
    nested = write_members(
        tmp_path / "nested.fitorch", {**good, "config.json": b"[" + b",".join([group] * 30_000) + b"]"}
    )
    rss_before = _max_rss_mib()
    assert_refused(nested, tmp_path, marker, match="values|nested")
    deep_but_few = b"[" + b",".join([b"[" * 300 + b"]" * 300] * 10) + b"]"
    assert_refused(write_members(tmp_path / "deep.fitorch", {**good, "config.json": deep_but_few}), tmp_path, marker,
                   match="nested deeper than")  # fmt: skip
    assert _max_rss_mib() - rss_before < 400
    # Brackets inside strings are text, not structure.
    from fitorch.saving import safe_json

    assert safe_json.loads(b'{"name": "' + b"[" * 10_000 + b'", "x": [1]}', "config.json")["x"] == [1]


# ---------------------------------------------------------------------- 10. optimizer state metadata
def _optimizer_group_edit(path, edit):
    members = read_members(path)
    with zipfile.ZipFile(path) as archive:
        raw = archive.read("optimizer.safetensors")
    header_length = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + header_length])
    meta = json.loads(header["__metadata__"]["optimizer"])
    edit(meta["param_groups"][0])
    header["__metadata__"]["optimizer"] = json.dumps(meta)
    members["optimizer.safetensors"] = raw_safetensors(header, raw[8 + header_length :])
    return write_members(path.with_name("optimizer_edit.fitorch"), members)


@pytest.mark.parametrize(
    "edit, match",
    [
        (lambda g: g.update(lr=10.0, maximize=True), "maximize is True in the file but False"),
        (lambda g: g.update(lr="0.001"), "lr must be a finite number >= 0"),
        (lambda g: g.update(lr=-1.0), "lr must be a finite number >= 0"),
        (lambda g: g.update(amsgrad=True), "amsgrad"),
        (lambda g: g.update(betas=[0.9, 2.0]), "beta"),
        (lambda g: g.update(eps="tiny"), "eps must be a finite number"),
        (lambda g: g.update(foreach="yes"), "foreach must be true, false or null"),
        (lambda g: g.pop("weight_decay"), "has entries"),
        (lambda g: g.update(run_this="os.system"), "has entries"),
    ],
)
def test_optimizer_state_metadata_is_validated_like_the_compile_config(tmp_path, edit, match):
    marker = tmp_path / "pwned"
    path = saved_model(tmp_path)  # compiled with 'adam' and trained one epoch
    assert_refused(_optimizer_group_edit(path, edit), tmp_path, marker, match=match)


def test_optimizer_state_that_training_changes_still_loads(tmp_path):
    path = saved_model(tmp_path)
    restored = load_model(_optimizer_group_edit(path, lambda g: g.update(lr=0.5, initial_lr=0.001)))
    assert restored.optimizer.param_groups[0]["lr"] == 0.5
