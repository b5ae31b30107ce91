"""Promise 3: training in one call, with Keras semantics, from every kind of data."""

import io
import warnings

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers


def regression_data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 4), dtype=np.float32)
    return x, (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype=np.float32))


def small_model():
    inputs = layers.Input(shape=(4,))
    return fitorch.Model(inputs, layers.Dense(1)(layers.Dense(16, activation="relu")(inputs)))


def compiled(loss="mse", metrics=("mae",)):
    model = small_model()
    model.compile(optimizer="adam", loss=loss, metrics=list(metrics))
    return model


def generator(x, y, batch=16, forever=False):
    while True:
        for i in range(0, len(x), batch):
            yield x[i:i + batch], y[i:i + batch]
        if not forever:
            return


class Batches(fitorch.utils.Sequence):
    def __init__(self, x, y, batch=16):
        self.x, self.y, self.batch = x, y, batch
        self.epochs_ended = 0

    def __len__(self):
        return len(self.x) // self.batch

    def __getitem__(self, i):
        s = slice(i * self.batch, (i + 1) * self.batch)
        return self.x[s], self.y[s]

    def on_epoch_end(self):
        self.epochs_ended += 1


@pytest.mark.parametrize("kind", ["numpy", "tensor", "generator", "infinite", "sequence", "dataset", "dataloader"])
def test_fit_accepts_every_kind_of_data(kind):
    x, y = regression_data()
    model = compiled()
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    kwargs = {}
    if kind == "numpy":
        data = (x, y)
    elif kind == "tensor":
        data = (tx, ty)
    elif kind == "generator":
        data, kwargs = (generator(x, y, forever=True),), {"steps_per_epoch": 4}
    elif kind == "infinite":
        data, kwargs = (generator(x, y, forever=True),), {"steps_per_epoch": 2}
    elif kind == "sequence":
        data = (Batches(x, y),)
    elif kind == "dataset":
        data = (torch.utils.data.TensorDataset(tx, ty),)
        kwargs = {"batch_size": 16}
    else:
        data = (torch.utils.data.DataLoader(torch.utils.data.TensorDataset(tx, ty), batch_size=16),)
    history = model.fit(*data, epochs=3, verbose=0, **kwargs)
    assert len(history.history["loss"]) == 3
    assert history.history["loss"][-1] < history.history["loss"][0]
    if kind == "sequence":
        assert data[0].epochs_ended == 3


def test_generators_with_sample_weights_and_validation_generators():
    x, y = regression_data()
    w = np.ones(len(x), dtype="float32")

    def weighted():
        while True:
            for i in range(0, len(x), 16):
                yield x[i:i + 16], y[i:i + 16], w[i:i + 16]

    model = compiled()
    history = model.fit(weighted(), steps_per_epoch=4, epochs=2, verbose=0,
                        validation_data=Batches(x, y), validation_steps=2)
    assert {"val_loss", "val_mae"} <= set(history.history)


def test_a_finite_generator_that_runs_dry_stops_training_with_a_warning():
    x, y = regression_data(32)
    model = compiled()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(generator(x, y), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 1


def test_fit_generator_is_a_deprecated_alias():
    x, y = regression_data()
    model = compiled()
    train_generator, validation_generator = Batches(x, y), Batches(x, y)
    with pytest.warns(DeprecationWarning, match=r"use Model\.fit"):
        history = model.fit_generator(generator=train_generator, epochs=2,
                                      validation_data=validation_generator)
    assert len(history.history["val_loss"]) == 2


def test_validation_split_takes_the_last_fraction_like_keras():
    x, y = regression_data(50)
    seen = []

    class Record(fitorch.callbacks.Callback):
        def on_test_batch_end(self, batch, logs=None):
            seen.append(batch)

    model = compiled()
    model.fit(x, y, validation_split=0.2, batch_size=5, epochs=1, verbose=0, callbacks=[Record()])
    assert len(seen) == 2  # 10 validation samples, batches of 5
    last = model.evaluate(x[40:], y[40:], verbose=0, return_dict=True)
    assert set(last) == {"loss", "mae"}


def test_sample_weight_and_class_weight_change_the_loss():
    x, y = regression_data(32)
    model = compiled()
    model.compile("sgd", "mse")
    zero = np.zeros(32, dtype="float32")
    assert model.evaluate(x, y, sample_weight=zero, verbose=0) == 0.0
    clf = fitorch.Sequential([layers.Input(shape=(4,)), layers.Dense(2, activation="softmax")])
    clf.compile("sgd", "sparse_categorical_crossentropy")
    labels = np.array([0, 1] * 16)
    before = [w.copy() for w in clf.get_weights()]
    clf.fit(x, labels, class_weight={0: 0.0, 1: 0.0}, epochs=1, verbose=0)
    for a, b in zip(before, clf.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # all-zero class weights: no gradient at all


def test_initial_epoch_steps_per_epoch_and_shuffle_false():
    x, y = regression_data()
    model = compiled()
    history = model.fit(x, y, epochs=4, initial_epoch=2, steps_per_epoch=2, shuffle=False, verbose=0)
    assert history.epoch == [2, 3]


def test_evaluate_returns_scalar_list_or_dict():
    x, y = regression_data()
    only_loss = compiled(metrics=())
    assert isinstance(only_loss.evaluate(x, y, verbose=0), float)
    model = compiled(metrics=("mae", "mse"))
    values = model.evaluate(x, y, verbose=0)
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(as_dict) == ["loss", "mae", "mse"] and values == list(as_dict.values())
    np.testing.assert_allclose(as_dict["loss"], as_dict["mse"], rtol=1e-5)


def test_predict_returns_numpy_and_keeps_structure():
    a = layers.Input(shape=(3,), name="a")
    model = fitorch.Model(a, {"double": layers.Lambda(lambda t: t * 2)(a), "sum": layers.Dense(1)(a)})
    out = model.predict(np.ones((70, 3), dtype="float32"), batch_size=32, verbose=0)
    assert set(out) == {"double", "sum"} and isinstance(out["double"], np.ndarray)
    assert out["double"].shape == (70, 3) and np.all(out["double"] == 2)


def test_on_batch_methods():
    x, y = regression_data(8)
    model = compiled()
    first = model.train_on_batch(x, y)
    for _ in range(20):
        last = model.train_on_batch(x, y)
    assert last[0] < first[0]
    assert set(model.test_on_batch(x, y, return_dict=True)) == {"loss", "mae"}
    assert model.predict_on_batch(x).shape == (8, 1)


def test_accuracy_is_resolved_from_the_loss_like_keras():
    x = np.random.rand(40, 4).astype("float32")
    cases = [
        ("sparse_categorical_crossentropy", np.random.randint(0, 3, 40), 3, "softmax"),
        ("categorical_crossentropy", np.eye(3, dtype="float32")[np.random.randint(0, 3, 40)], 3, "softmax"),
        ("binary_crossentropy", np.random.randint(0, 2, (40, 1)).astype("float32"), 1, "sigmoid"),
    ]
    for loss, y, units, activation in cases:
        model = fitorch.Sequential([layers.Input(shape=(4,)), layers.Dense(units, activation=activation)])
        model.compile("adam", loss, metrics=["accuracy", "acc"])
        history = model.fit(x, y, epochs=1, verbose=0)
        assert {"accuracy", "acc"} <= set(history.history)
        preds = model.predict(x, verbose=0)
        if loss == "binary_crossentropy":
            expected = np.mean((preds > 0.5) == (y > 0.5))
        else:
            truth = y if y.ndim == 1 else y.argmax(1)
            expected = np.mean(preds.argmax(1) == truth)
        np.testing.assert_allclose(model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"], expected,
                                   rtol=1e-6)


@pytest.mark.parametrize("name", ["sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam"])
def test_optimizer_names(name):
    x, y = regression_data()
    model = small_model()
    model.compile(optimizer=name, loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    assert isinstance(model.optimizer, torch.optim.Optimizer)


@pytest.mark.parametrize("loss", ["mse", "mae", "mape", "msle", "poisson", "huber", "cosine_similarity", "hinge",
                                  "kl_divergence"])
def test_loss_names(loss):
    x, y = regression_data()
    model = fitorch.Sequential([layers.Input(shape=(4,)), layers.Dense(1, activation="softplus")])
    model.compile("adam", loss, metrics=["mae", "mse"])
    history = model.fit(x, np.abs(y) + 0.1, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_custom_loss_and_metric_are_plain_callables():
    def my_loss(y_true, y_pred):
        return torch.mean((y_true - y_pred) ** 2, dim=-1)

    def max_error(y_true, y_pred):
        return torch.amax(torch.abs(y_true - y_pred), dim=-1)

    x, y = regression_data()
    model = small_model()
    model.compile("adam", loss=my_loss, metrics=[max_error])
    history = model.fit(x, y, epochs=2, verbose=0)
    assert {"loss", "max_error"} == set(history.history)


def test_unknown_names_suggest_the_closest():
    model = small_model()
    with pytest.raises(ValueError, match="Did you mean .*'adam'"):
        model.compile(optimizer="adma", loss="mse")
    with pytest.raises(ValueError, match="mean_squared_error|'mse'"):
        model.compile(optimizer="adam", loss="mean_squared_eror")
    with pytest.raises(ValueError, match="Did you mean"):
        model.compile(optimizer="adam", loss="mse", metrics=["accuarcy_top"])


def test_bad_data_is_reported_before_training():
    x, y = regression_data()
    model = compiled()
    with pytest.raises(ValueError, match=r"different numbers of samples \(x: 64, y: 60\)"):
        model.fit(x, y[:60], verbose=0)
    with pytest.raises(ValueError, match="validation_split is only supported for arrays"):
        model.fit(generator(x, y), validation_split=0.2, verbose=0)
    with pytest.raises(TypeError, match="expected NumPy arrays"):
        model.fit(42, verbose=0)
    with pytest.raises(RuntimeError, match="compile"):
        small_model().fit(x, y, verbose=0)


def _fit_output(verbose, monkeypatch, tty):
    stream = io.StringIO()
    stream.isatty = lambda: tty
    monkeypatch.setattr("sys.stdout", stream)
    x, y = regression_data()
    model = compiled()
    model.fit(x, y, batch_size=16, epochs=2, verbose=verbose, validation_data=(x, y))
    return stream.getvalue()


def test_verbose_1_on_a_terminal_draws_a_live_keras_bar(monkeypatch):
    out = _fit_output(1, monkeypatch, tty=True)
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    final = [line for line in out.split("\n") if "val_loss" in line][-1]
    assert "4/4 " in final and "━" in final and "/step - loss: " in final and " - val_mae: " in final


def test_verbose_1_off_a_terminal_writes_plain_lines(monkeypatch):
    out = _fit_output(1, monkeypatch, tty=False)
    assert "\r" not in out and "\x1b" not in out
    lines = [line for line in out.splitlines() if line]
    assert lines[0] == "Epoch 1/2" and lines[1].startswith("4/4 ━━━━━━━━━━━━━━━━━━━━ ")
    assert " - loss: " in lines[1] and " - val_loss: " in lines[1] and len(lines) == 4


def test_verbose_2_prints_one_line_per_epoch_and_0_prints_nothing(monkeypatch):
    out = _fit_output(2, monkeypatch, tty=False)
    lines = [line for line in out.splitlines() if line and not line.startswith("Epoch")]
    assert len(lines) == 2 and all(line.startswith("4/4 - ") for line in lines)
    assert _fit_output(0, monkeypatch, tty=True) == ""


def test_history_and_evaluate_agree_on_keras_key_names():
    x = np.random.rand(32, 4).astype("float32")
    y = np.random.randint(0, 3, 32)
    model = fitorch.Sequential([layers.Input(shape=(4,)), layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=1, validation_data=(x, y), verbose=0)
    assert list(history.history) == ["loss", "accuracy", "val_loss", "val_accuracy"] or \
        set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.evaluate(x, y, verbose=0)
