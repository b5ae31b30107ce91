"""Keras files written by fitorch: Keras 3 itself loads them (in a fresh process) and predicts the same.

For each model, fitorch writes ``.keras``, ``.h5`` and ``.weights.h5``; the oracle
script (``keras_export_oracle.py``, run once in a subprocess with
``KERAS_BACKEND=torch``) loads them with ``keras.saving.load_model`` and with
``load_weights`` into the same architecture built in Keras, and predicts. The
predictions must match fitorch's within 1e-5, the weight files' layout must equal
what Keras writes for the loaded model, and fitorch must read its own files back.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable

import h5py
import numpy as np
import pytest
import torch
from torch import nn

import fitorch
from fitorch import layers
from fitorch.saving.keras_export import keras_export_problem, save_keras, save_keras_h5, save_keras_weights

ORACLE = pathlib.Path(__file__).with_name("keras_export_oracle.py")
TOLERANCE = {"rtol": 1e-5, "atol": 1e-5}


# ====================================================================== models (mirrored in the oracle)
def mlp() -> fitorch.Model:
    inputs = layers.Input(shape=(8,))
    hidden = layers.Dense(16, activation="relu")(inputs)
    return fitorch.Model(inputs, layers.Dense(4, activation="softmax")(hidden))


def cnn() -> fitorch.Model:
    inputs = layers.Input(shape=(12, 12, 3))
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Dropout(0.3)(x)
    x = layers.SeparableConv2D(6, 3, padding="same")(x)
    x = layers.DepthwiseConv2D(2, depth_multiplier=2)(x)
    x = layers.AveragePooling2D(2)(x)
    x = layers.Flatten()(x)
    return fitorch.Model(inputs, layers.Dense(3)(x))


def lstm_text() -> fitorch.Model:
    inputs = layers.Input(shape=(10,), dtype="int32")
    x = layers.Embedding(30, 8, mask_zero=True)(inputs)
    x = layers.LSTM(6)(x)
    return fitorch.Model(inputs, layers.Dense(2, activation="sigmoid")(x))


def gru_attention() -> fitorch.Model:
    inputs = layers.Input(shape=(6, 8))
    x = layers.GRU(8, return_sequences=True)(inputs)
    attended = layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    x = layers.LayerNormalization()(layers.Add()([x, attended]))
    x = layers.Bidirectional(layers.LSTM(4, return_sequences=True))(x)
    x = layers.TimeDistributed(layers.Dense(3))(x)
    x = layers.GlobalMaxPooling1D()(x)
    return fitorch.Model(inputs, layers.Dense(2)(x))


def two_in_two_out() -> fitorch.Model:
    a = layers.Input(shape=(5,), name="a")
    b = layers.Input(shape=(3,), name="b")
    merged = layers.Concatenate()([layers.Dense(4, activation="tanh")(a), layers.Dense(4, activation="tanh")(b)])
    hidden = layers.Dense(6, activation="relu")(merged)
    score = layers.Dense(1)(hidden)
    label = layers.Dense(3, activation="softmax")(hidden)
    return fitorch.Model({"a": a, "b": b}, [score, label])


def shared() -> fitorch.Model:
    a = layers.Input(shape=(4,))
    b = layers.Input(shape=(4,))
    dense = layers.Dense(4, activation="tanh")
    twice = dense(dense(a))
    return fitorch.Model([a, b], layers.Dense(1)(layers.Add()([twice, dense(b)])))


def nested() -> fitorch.Model:
    inner_inputs = layers.Input(shape=(4,))
    x = layers.Dense(5)(inner_inputs)
    inner = fitorch.Model(inner_inputs, layers.Dense(3)(layers.BatchNormalization()(x)))
    inputs = layers.Input(shape=(4,))
    return fitorch.Model(inputs, layers.Dense(2)(inner(inputs)))


def nested_sequential() -> fitorch.Model:
    block = fitorch.Sequential(
        [layers.Input(shape=(4,)), layers.Dense(3), layers.BatchNormalization(), layers.Dense(4)]
    )
    inputs = layers.Input(shape=(4,))
    return fitorch.Model(inputs, layers.Dense(2)(block(block(inputs))))  # a shared nested model


def sequential_input() -> fitorch.Model:
    return fitorch.Sequential(
        [layers.Input(shape=(6,)), layers.Dense(8, activation="relu"), layers.Dropout(0.2), layers.Dense(2)]
    )


def sequential_lazy() -> fitorch.Model:
    model = fitorch.Sequential([layers.Dense(8, activation="relu"), layers.Dense(2)])
    model(torch.zeros(1, 6))  # built on its first call
    return model


# The zoos cover the other supported layer classes; the oracle rebuilds them in Keras from Keras' own config.
def zoo_sequence() -> fitorch.Model:
    inputs = layers.Input(shape=(8, 6))
    x = layers.Conv1D(6, 3, padding="same", activation="elu")(inputs)
    x = layers.SeparableConv1D(6, 3, padding="same")(x)
    x = layers.DepthwiseConv1D(3, padding="same")(x)
    x = layers.Conv1DTranspose(6, 3, padding="same")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(layers.PReLU()(x))
    x = layers.GroupNormalization(groups=3)(x)
    x = layers.SimpleRNN(6, return_sequences=True)(x)
    a = layers.Attention()([x, x])
    b = layers.AdditiveAttention()([x, x])
    x = layers.Average()([layers.Subtract()([a, b]), layers.Multiply()([a, b]), layers.Maximum()([a, x]),
                          layers.Minimum()([b, x])])  # fmt: skip
    x = layers.EinsumDense("abc,cd->abd", output_shape=(None, 4), bias_axes="d")(x)
    x = layers.UpSampling1D(2)(layers.ZeroPadding1D(1)(layers.Cropping1D((1, 1))(x)))
    x = layers.AveragePooling1D(2)(layers.MaxPooling1D(2)(x))
    x = layers.AlphaDropout(0.1)(
        layers.GaussianDropout(0.1)(layers.GaussianNoise(0.1)(layers.SpatialDropout1D(0.2)(x)))
    )
    pooled_max, pooled_mean = layers.GlobalMaxPooling1D()(x), layers.GlobalAveragePooling1D()(x)
    x = layers.Concatenate()([pooled_max, pooled_mean, layers.Dot(axes=1)([pooled_max, pooled_mean])])
    x = layers.Softmax()(layers.ReLU(max_value=6.0)(layers.UnitNormalization()(x)))
    x = layers.Reshape((-1,))(layers.Permute((2, 1))(layers.RepeatVector(2)(x)))
    x = layers.Identity()(layers.ActivityRegularization(l1=0.01)(layers.Flatten()(x)))
    return fitorch.Model(inputs, layers.Dense(2, activation="gelu")(x))


def zoo_image() -> fitorch.Model:
    inputs = layers.Input(shape=(10, 10, 3))
    x = layers.CenterCrop(8, 8)(layers.Rescaling(0.5, offset=0.1)(inputs))
    x = layers.ELU(alpha=0.5)(layers.Resizing(6, 6)(x))
    x = layers.Conv2DTranspose(4, 3, strides=2, padding="same")(x)
    x = layers.UpSampling2D(2)(layers.ZeroPadding2D(1)(layers.Cropping2D(1)(x)))
    x = layers.BatchNormalization(center=False)(x)
    x = layers.SpatialDropout2D(0.2)(layers.MaxPooling2D(3)(x))
    x = layers.Add()([layers.GlobalMaxPooling2D()(x), layers.GlobalAveragePooling2D()(x)])
    x = layers.Activation("swish")(x)
    frozen = layers.Dense(5, name="frozen")
    frozen.trainable = False
    return fitorch.Model(inputs, layers.Dense(2)(frozen(x)))


def zoo_volume() -> fitorch.Model:
    inputs = layers.Input(shape=(3, 6, 6, 2))
    x = layers.ConvLSTM2D(3, 3, padding="same", return_sequences=True)(inputs)
    x = layers.Conv3D(4, 2)(x)
    x = layers.Conv3DTranspose(2, 2)(x)
    x = layers.UpSampling3D(2)(layers.ZeroPadding3D(1)(layers.Cropping3D(1)(x)))
    x = layers.AveragePooling3D(2)(layers.MaxPooling3D((1, 2, 2))(x))
    x = layers.SpatialDropout3D(0.2)(x)
    merged = layers.Add()([layers.GlobalAveragePooling3D()(x), layers.GlobalMaxPooling3D()(x)])
    return fitorch.Model(inputs, layers.Dense(2)(merged))


def zoo_conv_lstm() -> fitorch.Model:
    series = layers.Input(shape=(2, 5, 3))
    volumes = layers.Input(shape=(2, 3, 3, 3, 1))
    a = layers.Flatten()(layers.ConvLSTM1D(2, 3, padding="same")(series))
    b = layers.Flatten()(layers.ConvLSTM3D(2, 2)(volumes))
    return fitorch.Model([series, volumes], layers.Dense(2)(layers.Concatenate()([a, b])))


def zoo_masking() -> fitorch.Model:
    inputs = layers.Input(shape=(7, 3))
    x = layers.Masking(mask_value=0.0)(inputs)
    return fitorch.Model(inputs, layers.Dense(1)(layers.GRU(4)(x)))


def _inputs(name: str, rng: np.random.Generator) -> dict[str, np.ndarray] | list[np.ndarray] | np.ndarray:
    normal = lambda *shape: rng.standard_normal((5, *shape)).astype("float32")  # noqa: E731
    if name == "zoo_masking":
        steps = normal(7, 3)
        steps[1, 4:] = 0.0  # masked time steps
        steps[2, 2:] = 0.0
        return steps
    if name == "lstm_text":
        tokens = rng.integers(1, 30, (5, 10)).astype("int32")
        tokens[0, 6:] = 0  # padding, masked by Embedding(mask_zero=True)
        tokens[3, 2:] = 0
        return tokens
    return {
        "mlp": lambda: normal(8),
        "cnn": lambda: normal(12, 12, 3),
        "gru_attention": lambda: normal(6, 8),
        "two_in_two_out": lambda: {"a": normal(5), "b": normal(3)},
        "shared": lambda: [normal(4), normal(4)],
        "nested": lambda: normal(4),
        "nested_sequential": lambda: normal(4),
        "sequential_input": lambda: normal(6),
        "sequential_lazy": lambda: normal(6),
        "zoo_sequence": lambda: normal(8, 6),
        "zoo_image": lambda: normal(10, 10, 3),
        "zoo_volume": lambda: normal(3, 6, 6, 2),
        "zoo_conv_lstm": lambda: [normal(2, 5, 3), normal(2, 3, 3, 3, 1)],
    }[name]()


MODELS: dict[str, Callable[[], fitorch.Model]] = {
    f.__name__: f
    for f in (mlp, cnn, lstm_text, gru_attention, two_in_two_out, shared, nested, nested_sequential, sequential_input,
              sequential_lazy, zoo_sequence, zoo_image, zoo_volume, zoo_conv_lstm, zoo_masking)
}  # fmt: skip


def _randomise(model: fitorch.Model, rng: np.random.Generator) -> None:
    """Random weights everywhere, and BatchNormalization statistics far from their initial values."""
    model.set_weights([rng.normal(0.0, 0.4, w.shape).astype(w.dtype) for w in model.get_weights()])
    for module in model.modules():
        if isinstance(module, layers.BatchNormalization):
            *rest, variance = module.get_weights()  # the moving variance comes last
            module.set_weights([*rest, rng.uniform(0.5, 2.0, variance.shape).astype("float32")])


def _as_list(outputs: object) -> list[np.ndarray]:
    return [np.asarray(o) for o in outputs] if isinstance(outputs, (list, tuple)) else [np.asarray(outputs)]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Writes every model in the three formats, then runs the Keras oracle once over all of them."""
    folder = tmp_path_factory.mktemp("keras_export")
    rng = np.random.default_rng(7)
    manifest, models, inputs, expected = {}, {}, {}, {}
    for name, build in MODELS.items():
        model = build()
        _randomise(model, rng)
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        x = _inputs(name, rng)
        for suffix, save in ((".keras", save_keras), (".h5", save_keras_h5), (".weights.h5", save_keras_weights)):
            save(model, folder / f"{name}{suffix}")
        manifest[name] = "dict" if isinstance(x, dict) else "list" if isinstance(x, list) else "array"
        arrays = x if isinstance(x, dict) else {f"x{i}": a for i, a in enumerate(x if isinstance(x, list) else [x])}
        np.savez(folder / f"{name}.inputs.npz", **arrays)
        models[name], inputs[name] = model, x
        expected[name] = _as_list(model.predict(x, verbose=0))
    (folder / "manifest.json").write_text(json.dumps(manifest))
    env = {**os.environ, "KERAS_BACKEND": "torch", "CUDA_VISIBLE_DEVICES": ""}
    subprocess.run([sys.executable, str(ORACLE), str(folder)], check=True, env=env, timeout=900,
                   capture_output=True)  # fmt: skip
    results = json.loads((folder / "results.json").read_text())
    return {"folder": folder, "models": models, "inputs": inputs, "expected": expected, "results": results}


def _keras_outputs(exported: dict[str, object], name: str, label: str) -> list[np.ndarray]:
    status = exported["results"][f"{name}.{label}"]
    assert status == "ok", f"Keras could not use the {label} file of {name}:\n{status}"
    with np.load(exported["folder"] / f"{name}.{label}.npz") as data:
        return [data[f"arr_{i}"] for i in range(len(data.files))]


# ====================================================================== Keras reads what fitorch writes
@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("label", ["keras", "h5", "weights"])
def test_keras_predicts_like_fitorch(exported: dict[str, object], name: str, label: str) -> None:
    keras_outputs = _keras_outputs(exported, name, label)
    expected = exported["expected"][name]
    assert len(keras_outputs) == len(expected)
    for got, want in zip(keras_outputs, expected, strict=True):
        np.testing.assert_allclose(got, want, **TOLERANCE)


def _h5_tree(path: pathlib.Path) -> dict[str, object]:
    """Every group and dataset: a dataset's shape, a group's attributes (optimizer state left out)."""
    tree: dict[str, object] = {}

    def visit(name: str, item: object) -> None:
        if name.startswith(("optimizer", "optimizer_weights")):
            return
        if isinstance(item, h5py.Dataset):
            tree[name] = ("dataset", item.shape, str(item.dtype))
        else:
            attributes = {k: np.asarray(v).tolist() for k, v in item.attrs.items() if k != "keras_version"}
            if "/_" in name:  # Keras names its private sub-layers per process ("dropout_3"): not comparable
                attributes.pop("name", None)
            tree[name] = ("group", attributes)

    with h5py.File(path, "r") as handle:
        handle.visititems(visit)
        tree["/"] = {k: v for k, v in handle.attrs.items() if k in ("backend",)}
    return tree


@pytest.mark.parametrize("name", list(MODELS))
def test_weights_layout_equals_keras(exported: dict[str, object], name: str) -> None:
    folder = exported["folder"]
    assert exported["results"][f"{name}.keras"] == "ok"
    assert _h5_tree(folder / f"{name}.weights.h5") == _h5_tree(folder / f"{name}.resaved.weights.h5")
    with zipfile.ZipFile(folder / f"{name}.keras") as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        (folder / f"{name}.inner.weights.h5").write_bytes(archive.read("model.weights.h5"))
    assert _h5_tree(folder / f"{name}.inner.weights.h5") == _h5_tree(folder / f"{name}.weights.h5")


@pytest.mark.parametrize("name", list(MODELS))
def test_legacy_h5_layout_equals_keras(exported: dict[str, object], name: str) -> None:
    folder = exported["folder"]
    assert exported["results"][f"{name}.h5"] == "ok"
    ours, theirs = _h5_tree(folder / f"{name}.h5"), _h5_tree(folder / f"{name}.resaved.h5")
    assert {k: v for k, v in ours.items() if k.startswith("model_weights")} == {
        k: v for k, v in theirs.items() if k.startswith("model_weights")
    }


@pytest.mark.parametrize("name", list(MODELS))
def test_keras_restores_the_compile_config(exported: dict[str, object], name: str) -> None:
    assert exported["results"][f"{name}.keras.compiled"] is True
    assert "mse" in exported["results"][f"{name}.keras.loss"]


# ====================================================================== fitorch reads it back
@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_fitorch_round_trip(exported: dict[str, object], name: str, suffix: str) -> None:
    restored = fitorch.load_model(exported["folder"] / f"{name}{suffix}")
    outputs = _as_list(restored.predict(exported["inputs"][name], verbose=0))
    for got, want in zip(outputs, exported["expected"][name], strict=True):
        np.testing.assert_allclose(got, want, **TOLERANCE)


@pytest.mark.parametrize("name", list(MODELS))
def test_fitorch_reads_the_weights_file(exported: dict[str, object], name: str) -> None:
    fresh = MODELS[name]()
    fresh.load_weights(exported["folder"] / f"{name}.weights.h5")
    outputs = _as_list(fresh.predict(exported["inputs"][name], verbose=0))
    for got, want in zip(outputs, exported["expected"][name], strict=True):
        np.testing.assert_allclose(got, want, **TOLERANCE)


# ====================================================================== refusals
class Net(fitorch.Model):
    def __init__(self, name: str | None = None) -> None:
        super().__init__(name=name)
        self.dense = layers.Dense(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dense(x)


def _subclassed() -> nn.Module:
    model = Net()
    model(torch.zeros(1, 3))
    return model


def _wrapped() -> nn.Module:
    return fitorch.wrap(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1)))


def _with_lambda() -> nn.Module:
    inputs = layers.Input(shape=(3,))
    return fitorch.Model(inputs, layers.Lambda(lambda t: t * 2, name="doubler")(inputs))


def _with_torch_module() -> nn.Module:
    inputs = layers.Input(shape=(3,))
    return fitorch.Model(inputs, layers.Dense(2)(layers.TorchModule(nn.Linear(3, 3))(inputs)))


class Scale(layers.Layer):
    def call(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2


def _with_custom_layer() -> nn.Module:
    inputs = layers.Input(shape=(3,))
    return fitorch.Model(inputs, Scale(name="scale")(inputs))


def _with_uncovered_layer() -> nn.Module:
    inputs = layers.Input(shape=(3,))
    return fitorch.Model(inputs, layers.SpectralNormalization(layers.Dense(2), name="spectral")(inputs))


def _with_nested_subclassed() -> nn.Module:
    inputs = layers.Input(shape=(3,))
    return fitorch.Model(inputs, layers.Dense(1)(Net(name="inner_net")(inputs)))


REFUSED = {
    "subclassed": (_subclassed, r"\(Net\).*subclassed model"),
    "wrapped": (_wrapped, r"\(WrappedModule\).*plain PyTorch module \(torch\.nn\.modules\.container\.Sequential\)"),
    "lambda": (_with_lambda, r"Layer 'doubler' \(Lambda\).*Python code"),
    "torch_module": (_with_torch_module, r"\(TorchModule\).*PyTorch module \(torch\.nn\.modules\.linear\.Linear\)"),
    "custom_layer": (_with_custom_layer, r"Layer 'scale' \(Scale\).*custom layer class"),
    "uncovered_layer": (_with_uncovered_layer, r"Layer 'spectral' \(SpectralNormalization\).*does not cover"),
    "nested_subclassed": (_with_nested_subclassed, r"Model 'inner_net' \(Net\).*subclassed model"),
}


@pytest.mark.parametrize("case", list(REFUSED))
@pytest.mark.parametrize("suffix", [".keras", ".h5", ".weights.h5"])
def test_refuses_models_keras_cannot_rebuild(tmp_path: pathlib.Path, case: str, suffix: str) -> None:
    build, reason = REFUSED[case]
    model = build()
    save = {".keras": save_keras, ".h5": save_keras_h5, ".weights.h5": save_keras_weights}[suffix]
    path = tmp_path / f"model{suffix}"
    with pytest.raises(ValueError, match=reason) as caught:
        save(model, path)
    assert "cannot be written as a Keras file" in str(caught.value)
    assert "model.save('model.fitorch')" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("case", list(REFUSED))
def test_export_problem_names_the_layer(case: str) -> None:
    build, reason = REFUSED[case]
    problem = keras_export_problem(build())
    assert problem is not None and ".fitorch" in problem
    assert re.search(reason, problem), problem


def test_export_problem_is_none_for_a_keras_model() -> None:
    assert keras_export_problem(mlp()) is None
    assert keras_export_problem(nested()) is None


def test_refuses_a_fitorch_only_argument(tmp_path: pathlib.Path) -> None:
    inputs = layers.Input(shape=(5, 3))
    with pytest.warns(UserWarning, match="rms_scaling"):
        model = fitorch.Model(inputs, layers.LayerNormalization(rms_scaling=True, name="norm")(inputs))
    with pytest.raises(ValueError, match=r"Layer 'norm' \(LayerNormalization\).*rms_scaling=True has no Keras"):
        save_keras(model, tmp_path / "m.keras")
    assert not (tmp_path / "m.keras").exists()


def test_refuses_an_unbuilt_sequential(tmp_path: pathlib.Path) -> None:
    model = fitorch.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match=r"Sequential .* not built yet.*\.fitorch"):
        save_keras(model, tmp_path / "m.keras")


@pytest.mark.parametrize(
    ("save", "name", "expected"),
    [(save_keras, "m.zip", r"\.keras"), (save_keras_h5, "m.keras", r"\.h5 or \.hdf5"),
     (save_keras_weights, "m.h5", r"\.weights\.h5")],
)  # fmt: skip
def test_file_name_must_be_one_keras_reads(tmp_path: pathlib.Path, save: Callable, name: str, expected: str) -> None:
    with pytest.raises(ValueError, match=rf"{save.__name__}: .*ending {expected}; received .*{name}"):
        save(mlp(), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_overwrite_false_keeps_the_existing_file(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "m.keras"
    path.write_bytes(b"old")
    with pytest.raises(FileExistsError, match="already exists"):
        save_keras(mlp(), path, overwrite=False)
    assert path.read_bytes() == b"old"


def test_missing_h5py_names_the_extra(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match=r"pip install fitorch\[h5\]"):
        save_keras_weights(mlp(), tmp_path / "m.weights.h5")
    assert list(tmp_path.iterdir()) == []


def test_compile_config_left_out_without_keras_equivalent(tmp_path: pathlib.Path) -> None:
    model = mlp()
    model.compile(optimizer=torch.optim.Adam(model.parameters()), loss=lambda y, p: ((y - p) ** 2).mean())
    save_keras(model, tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        config = json.loads(archive.read("config.json"))
    assert "compile_config" not in config
    assert config["class_name"] == "Functional" and config["module"] == "keras.src.models.functional"
