"""Promise 1, Keras style: the functional API, Sequential, multi-I/O, shared and nested models."""

import numpy as np
import pytest
import torch
from torch import nn

import fitorch
from fitorch import layers


def make_images(n=48, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 32, 32, 3), dtype=np.float32)
    y = (x[:, :16].mean(axis=(1, 2, 3)) > x[:, 16:].mean(axis=(1, 2, 3))).astype("int64")  # learnable
    return x, y


def test_the_issue_program_runs_as_written(capsys):
    x_train, y_train = make_images(48)
    x_test, y_test = make_images(16, seed=1)

    inp = layers.Input(shape=(32, 32, 3))
    x = layers.Conv2D(64, (3, 3), activation='relu')(inp)
    x = layers.Conv2D(64, (3, 3), activation='relu')(x)
    x = layers.MaxPooling2D((2, 2), strides=(2, 2))(x)
    x = layers.Flatten()(x)
    out = layers.Dense(10, activation='softmax')(x)
    model = fitorch.Model(inp, out)
    model.summary()
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    history = model.fit(x_train, y_train, batch_size=32, epochs=3, validation_split=0.1)
    loss, acc = model.evaluate(x_test, y_test)
    probs = model.predict(x_test)        # a NumPy array

    assert fitorch.Input is layers.Input
    assert isinstance(model, torch.nn.Module)
    assert isinstance(probs, np.ndarray) and probs.shape == (16, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["loss"]) == 3
    assert 0.0 <= acc <= 1.0 and np.isfinite(loss)
    printed = capsys.readouterr().out
    assert "Layer (type)" in printed and "Output Shape" in printed and "Param #" in printed
    assert "(None, 30, 30, 64)" in printed and "Epoch 3/3" in printed and "Connected to" in printed
    assert "\r" not in printed  # not a terminal: no redraws


def test_the_seed_functional_snippet_gives_keras_shapes():
    input_shape = (32, 32, 3)
    img_input = layers.Input(shape=input_shape)
    x = layers.Conv2D(64, (3, 3), activation='relu')(img_input)
    x = layers.Conv2D(64, (3, 3), activation='relu')(x)
    x = layers.MaxPooling2D((2, 2), strides=(2, 2))(x)
    assert x.shape == (None, 14, 14, 64)
    assert repr(x).endswith("(MaxPooling2D)>")


def test_model_runs_eagerly_on_a_tensor_and_has_stable_readable_keys():
    inputs = layers.Input(shape=(4,))
    x = layers.Dense(8, activation="relu", name="hidden")(inputs)
    x = layers.BatchNormalization(name="norm")(x)
    model = fitorch.Model(inputs, layers.Dense(3, name="head")(x))
    out = model(torch.randn(5, 4))
    assert isinstance(out, torch.Tensor) and out.shape == (5, 3)
    keys = list(model.state_dict())
    assert keys == ["hidden.weight", "hidden.bias", "norm.weight", "norm.bias", "norm.running_mean",
                    "norm.running_var", "head.weight", "head.bias"]
    model.compile("adam", "mse")
    model.fit(np.random.rand(8, 4), np.random.rand(8, 3), epochs=1, verbose=0)
    assert list(model.state_dict()) == keys


@pytest.mark.parametrize("with_input", [True, False])
def test_sequential_with_or_without_input_and_add(with_input):
    model = fitorch.Sequential([layers.Input(shape=(6,))] if with_input else [])
    model.add(layers.Dense(16, activation="relu"))
    model.add(layers.Dense(1))
    assert model.built is with_input
    model.compile(optimizer="adam", loss="mse")
    x = np.random.rand(64, 6).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert model.built
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.predict(x[:3], verbose=0).shape == (3, 1)


def test_sequential_first_layer_input_shape_keyword():
    model = fitorch.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
    assert model.built and model.output.shape == (None, 2)


def two_in_two_out(as_dict):
    a = layers.Input(shape=(5,), name="a")
    b = layers.Input(shape=(3,), name="b")
    merged = layers.Concatenate()([layers.Dense(8, activation="relu")(a), b])
    score = layers.Dense(1, name="score")(merged)
    klass = layers.Dense(4, activation="softmax", name="klass")(merged)
    if as_dict:
        return fitorch.Model({"a": a, "b": b}, {"score": score, "klass": klass})
    return fitorch.Model([a, b], [score, klass])


@pytest.mark.parametrize("as_dict", [False, True])
def test_multi_input_multi_output_with_per_output_losses_and_weights(as_dict):
    model = two_in_two_out(as_dict)
    n = 40
    xa, xb = np.random.rand(n, 5).astype("float32"), np.random.rand(n, 3).astype("float32")
    score, klass = np.random.rand(n, 1).astype("float32"), np.random.randint(0, 4, n)
    if as_dict:
        model.compile("adam", loss={"score": "mse", "klass": "sparse_categorical_crossentropy"},
                      loss_weights={"score": 2.0, "klass": 0.5}, metrics={"klass": ["accuracy"]})
        x, y = {"a": xa, "b": xb}, {"score": score, "klass": klass}
    else:
        model.compile("adam", loss=["mse", "sparse_categorical_crossentropy"], loss_weights=[2.0, 0.5],
                      metrics=[[], ["accuracy"]])
        x, y = [xa, xb], [score, klass]
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert {"loss", "score_loss", "klass_loss", "klass_accuracy"} <= set(history.history)
    results = model.evaluate(x, y, verbose=0, return_dict=True)
    torch.testing.assert_close(results["loss"], 2.0 * results["score_loss"] + 0.5 * results["klass_loss"],
                               rtol=1e-5, atol=1e-5)
    preds = model.predict(x, verbose=0)
    if as_dict:
        assert preds["score"].shape == (n, 1) and preds["klass"].shape == (n, 4)
    else:
        assert preds[0].shape == (n, 1) and preds[1].shape == (n, 4)


def test_shared_layers_and_a_model_used_as_a_layer():
    shared = layers.Dense(4, name="shared")
    left, right = layers.Input(shape=(3,)), layers.Input(shape=(3,))
    siamese = fitorch.Model([left, right], layers.Add()([shared(left), shared(right)]))
    assert list(siamese.state_dict()) == ["shared.weight", "shared.bias"]

    encoder_in = layers.Input(shape=(6,))
    encoder = fitorch.Model(encoder_in, layers.Dense(3, name="code")(encoder_in), name="encoder")
    outer_in = layers.Input(shape=(6,))
    code = encoder(outer_in)
    assert code.shape == (None, 3)
    outer = fitorch.Model(outer_in, layers.Dense(1, name="decision")(code))
    assert "encoder.code.weight" in outer.state_dict()
    x = torch.randn(2, 6)
    torch.testing.assert_close(outer(x), outer.get_layer("decision")(encoder(x)))
    outer.compile("sgd", "mse")
    before = encoder.get_layer("code").weight.detach().clone()
    outer.fit(np.random.rand(16, 6), np.random.rand(16, 1), epochs=1, verbose=0)
    assert not torch.equal(before, encoder.get_layer("code").weight)  # the inner model trained too


def test_plain_nn_module_called_on_a_symbolic_tensor():
    inputs = layers.Input(shape=(10,))
    hidden = layers.TorchModule(nn.Linear(10, 7))(inputs)
    hidden = layers.TorchModule(nn.ReLU())(hidden)
    outputs = layers.Dense(2)(hidden)
    assert hidden.shape == (None, 7)
    model = fitorch.Model(inputs, outputs)
    assert any(k.startswith("linear") and k.endswith(".weight") for k in model.state_dict())
    model.compile("adam", "mse")
    history = model.fit(np.random.rand(32, 10), np.random.rand(32, 2), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_intermediate_outputs_of_any_layer():
    inputs = layers.Input(shape=(4,))
    hidden = layers.Dense(5, name="hidden")(inputs)
    model = fitorch.Model(inputs, layers.Dense(1)(hidden))
    probe = fitorch.Model(model.input, model.get_layer("hidden").output)
    x = np.random.rand(3, 4).astype("float32")
    np.testing.assert_allclose(probe.predict(x, verbose=0), model.get_layer("hidden")(torch.from_numpy(x)).detach().numpy(),
                               rtol=1e-6)
