"""ONNX and torch.export: a functional CNN, an LSTM model and a multi-input model, dynamic batch."""

import numpy as np
import onnx
import onnxruntime
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.export import export_onnx, torch_export
from fitorch.utils.tree import flatten


def cnn():
    inputs = layers.Input(shape=(12, 12, 3), name="image")
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(4, 3, padding="same", activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.5)(x)
    return fitorch.Model(inputs, layers.Dense(5, activation="softmax", name="probs")(x), name="cnn")


def lstm():
    inputs = layers.Input(shape=(7, 4), name="sequence")
    sequence, _ = layers.TorchModule(torch.nn.LSTM(4, 6, batch_first=True))(inputs)  # (B, T, 6), (h, c)
    pooled = layers.GlobalAveragePooling1D()(sequence)
    return fitorch.Model(inputs, layers.Dense(2, name="score")(pooled), name="lstm")


def multi_input():
    image = layers.Input(shape=(6, 6, 1), name="image")
    meta = layers.Input(shape=(3,), name="meta")
    features = layers.Flatten()(layers.Conv2D(2, 3)(image))
    merged = layers.Concatenate()([features, layers.Dense(4, activation="tanh")(meta)])
    outputs = {"label": layers.Dense(3, activation="softmax", name="label")(merged),
               "value": layers.Dense(1, name="value")(merged)}  # fmt: skip
    return fitorch.Model({"image": image, "meta": meta}, outputs, name="multi")


def batch(model, size):
    rng = np.random.default_rng(size)
    arrays = {t.name: rng.random((size, *t.shape[1:]), dtype=np.float32) for t in model.inputs}
    return arrays if len(arrays) > 1 else next(iter(arrays.values()))


MODELS = {"cnn": cnn, "lstm": lstm, "multi_input": multi_input}


@pytest.mark.parametrize("make", MODELS.values(), ids=MODELS.keys())
def test_onnx_matches_predict_with_a_dynamic_batch(tmp_path, make):
    model = make()
    model.compile("adam", "mse")  # training-mode layers (dropout, batch norm) must export in inference mode
    path = tmp_path / "model.onnx"
    model.export(path)
    onnx.checker.check_model(onnx.load(path))
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == model.input_names
    assert all(isinstance(i.shape[0], str) for i in session.get_inputs())  # the batch axis is symbolic
    assert [o.name for o in session.get_outputs()] == model.output_names
    for size in (1, 9):
        x = batch(model, size)
        feeds = x if isinstance(x, dict) else {model.input_names[0]: x}
        got = session.run(None, feeds)
        expected = flatten(model.predict(x, verbose=0))
        for a, b in zip(got, expected, strict=True):
            np.testing.assert_allclose(a, b, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("make", MODELS.values(), ids=MODELS.keys())
def test_torch_export_returns_a_program_with_a_dynamic_batch(make):
    model = make()
    model.train()
    program = torch_export(model, batch(model, 3) if make is lstm else None)
    assert model.training  # exported in inference mode, then put back
    assert isinstance(program, torch.export.ExportedProgram)
    x = batch(model, 5)
    tensors = {k: torch.from_numpy(v) for k, v in x.items()} if isinstance(x, dict) else torch.from_numpy(x)
    model.eval()
    with torch.no_grad():
        expected = flatten(model(tensors))
    for a, b in zip(flatten(program.module()(tensors)), expected, strict=True):
        torch.testing.assert_close(a, b)


def test_fitorch_lstm_layer_when_present(tmp_path):
    lstm_layer = getattr(layers, "LSTM", None)
    if lstm_layer is None:  # the recurrent layers land separately; torch.nn.LSTM is covered above
        return
    inputs = layers.Input(shape=(5, 3))
    model = fitorch.Model(inputs, layers.Dense(1)(lstm_layer(4)(inputs)))
    export_onnx(model, tmp_path / "lstm.onnx")
    session = onnxruntime.InferenceSession(str(tmp_path / "lstm.onnx"), providers=["CPUExecutionProvider"])
    x = np.random.rand(4, 5, 3).astype("float32")
    np.testing.assert_allclose(
        session.run(None, {session.get_inputs()[0].name: x})[0], model.predict(x, verbose=0), atol=1e-5
    )


def test_subclassed_model_needs_an_example(tmp_path):
    class Net(fitorch.Model):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(4, 2)

        def forward(self, x):
            return self.linear(x)

    model = Net()
    with pytest.raises(ValueError, match="pass example="):
        export_onnx(model, tmp_path / "net.onnx")
    export_onnx(model, tmp_path / "net.onnx", example=np.zeros((2, 4), "float32"))
    session = onnxruntime.InferenceSession(str(tmp_path / "net.onnx"), providers=["CPUExecutionProvider"])
    x = np.random.rand(6, 4).astype("float32")
    np.testing.assert_allclose(session.run(None, {"input_0": x})[0], model.predict(x, verbose=0), atol=1e-5)
