"""Models built with ops and operators save, and load in a fresh process with the same outputs."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers, ops
from fitorch.ops.op_layer import OpLayer
from fitorch.saving import UnsafeModelError


def build_model() -> fitorch.Model:
    inputs = layers.Input(shape=(6,), name="x")
    w = torch.arange(12.0).reshape(6, 2) / 10
    h = layers.Dense(4, name="dense")(inputs)
    y = ops.relu(h) * 2 + ops.mean(h, axis=-1, keepdims=True)
    y = ops.concatenate([y[:, :2], -(abs(inputs[..., 1:3]) ** 2)], axis=-1)
    z = ops.softmax(inputs @ w, axis=-1)[:, None, 0]
    images = ops.reshape(inputs, (-1, 1, 3, 2))
    pooled = ops.image.resize(images, (2, 4), interpolation="nearest")
    return fitorch.Model(inputs, [y, z, pooled, ops.cast(inputs > 0.5, "int32")])


def test_model_with_ops_round_trips_in_a_fresh_process(tmp_path) -> None:
    model = build_model()
    x = np.random.default_rng(0).standard_normal((5, 6)).astype("float32")
    expected = [t.detach().numpy() for t in model(torch.as_tensor(x))]
    path = tmp_path / "m.fitorch"
    model.save(str(path))
    np.save(tmp_path / "x.npy", x)
    script = textwrap.dedent(f"""
        import numpy as np, torch, fitorch
        model = fitorch.load_model({str(path)!r})
        x = torch.as_tensor(np.load({str(tmp_path / "x.npy")!r}))
        for n, out in enumerate(model(x)):
            np.save({str(tmp_path)!r} + f"/out{{n}}.npy", out.detach().numpy())
        print(sorted({{type(m).__name__ for m in model.modules()}}))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "OpLayer" in result.stdout
    for n, want in enumerate(expected):
        np.testing.assert_array_equal(np.load(tmp_path / f"out{n}.npy"), want)


def test_the_file_names_ops_by_their_keras_name(tmp_path) -> None:
    path = tmp_path / "m.fitorch"
    build_model().save(str(path))
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    text = json.dumps(config)  # re-dumped with ", " and ": " separators
    assert '"fitorch>OpLayer"' in text
    for name in ("relu", "multiply", "get_item", "image.resize", "softmax", "matmul"):
        assert f'"op": "{name}"' in text


def test_a_file_naming_an_unknown_op_is_refused(tmp_path) -> None:
    path = tmp_path / "m.fitorch"
    inputs = layers.Input(shape=(3,))
    fitorch.Model(inputs, ops.exp(inputs)).save(str(path))
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert b'"op":"exp"' in files["config.json"]
    files["config.json"] = files["config.json"].replace(b'"op":"exp"', b'"op":"os.system"')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    with pytest.raises((ValueError, UnsafeModelError), match="unknown op name 'os.system'"):
        fitorch.load_model(str(path))


def test_constants_follow_the_model_and_do_not_enter_the_state_dict() -> None:
    inputs = layers.Input(shape=(2,))
    model = fitorch.Model(inputs, inputs @ torch.eye(2) + torch.tensor([1.0, 2.0]))
    assert list(model.state_dict()) == []
    model = model.to(torch.float64)
    out = model(torch.ones(1, 2, dtype=torch.float64))
    assert out.dtype == torch.float64 and out.tolist() == [[2.0, 3.0]]
    op_layers = [m for m in model.modules() if isinstance(m, OpLayer)]
    assert {m.op for m in op_layers} == {"matmul", "add"}
