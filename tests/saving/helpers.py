"""Small models and file-crafting helpers shared by the saving tests."""

from __future__ import annotations

import contextlib
import io
import json
import os
import pathlib
import sys
import zipfile

import numpy as np
import torch

import fitorch
from fitorch import layers
from fitorch.saving import safetensors_io


def functional_model() -> fitorch.Model:
    inputs = layers.Input(shape=(6,), name="features")
    hidden = layers.Dense(8, activation="relu", name="hidden")(inputs)
    hidden = layers.BatchNormalization(name="norm")(hidden)
    return fitorch.Model(inputs, layers.Dense(3, activation="softmax", name="probs")(hidden), name="classifier")


def small_data(n: int = 32) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((n, 6), dtype=np.float32), rng.integers(0, 3, n)


def saved_model(tmp_path: pathlib.Path, compiled: bool = True) -> pathlib.Path:
    """A small trained, compiled model saved to ``tmp_path / 'model.fitorch'``."""
    model = functional_model()
    if compiled:
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        x, y = small_data()
        model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    path = tmp_path / "model.fitorch"
    fitorch.saving.save_model(model, path)
    return path


def read_members(path: os.PathLike[str]) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_members(path: os.PathLike[str], members: dict[str, bytes] | list[tuple[str, bytes]], *,
                  compression: int = zipfile.ZIP_STORED) -> pathlib.Path:  # fmt: skip
    items = members.items() if isinstance(members, dict) else members
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in items:
            archive.writestr(name, data)
    return pathlib.Path(path)


def safetensors_bytes(tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    safetensors_io.write(buffer, tensors, metadata)
    return buffer.getvalue()


def raw_safetensors(header: dict, data: bytes) -> bytes:
    """A safetensors file with exactly this header and data (for malformed files)."""
    raw = json.dumps(header).encode()
    return len(raw).to_bytes(8, "little") + raw + data


def with_config(path: pathlib.Path, edit) -> pathlib.Path:
    """Rewrites ``path``'s config.json through ``edit(config) -> config``; returns the new file."""
    members = read_members(path)
    members["config.json"] = json.dumps(edit(json.loads(members["config.json"]))).encode()
    return write_members(path.with_name("crafted.fitorch"), members)


class WriteRecorder:
    """Records, through a Python audit hook, every file write, rename, deletion or process start.

    Used to check that loading a crafted file writes nothing outside the test's temp dir.
    """

    _active: WriteRecorder | None = None
    _installed = False

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    @classmethod
    def _hook(cls, event: str, args: tuple) -> None:
        recorder = cls._active
        if recorder is None:
            return
        if event == "open" and len(args) > 1:
            mode = str(args[1] or "")
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            if any(c in mode for c in "wax+") or flags & 0o3:
                recorder.events.append((event, str(args[0])))
        elif event in ("os.rename", "os.remove", "os.mkdir", "os.symlink", "os.link", "shutil.move",
                       "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn"):  # fmt: skip
            recorder.events.append((event, str(args[0]) if args else ""))

    @contextlib.contextmanager
    def recording(self):
        if not WriteRecorder._installed:
            sys.addaudithook(WriteRecorder._hook)
            WriteRecorder._installed = True
        WriteRecorder._active = self
        try:
            yield self
        finally:
            WriteRecorder._active = None

    def outside(self, root: pathlib.Path) -> list[tuple[str, str]]:
        root = str(root.resolve())
        return [(e, p) for e, p in self.events if not os.path.abspath(p).startswith(root)]
