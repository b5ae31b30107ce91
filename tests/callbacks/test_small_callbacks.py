"""TerminateOnNaN, LambdaCallback, History.plot and CallbackList's hook detection."""

import json

import numpy as np
import pytest

import fitorch
from fitorch.callbacks import CallbackList, History, LambdaCallback, TerminateOnNaN


def _model() -> fitorch.Model:
    model = fitorch.Sequential([fitorch.layers.Input(shape=(1,)), fitorch.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def _nan_data():
    x = np.ones((6, 1), "f")
    x[2] = np.nan
    return x, np.ones((6, 1), "f")


def test_terminate_on_nan_stops_after_the_bad_batch(capsys) -> None:
    seen = []
    history = _model().fit(*_nan_data(), batch_size=1, epochs=3, verbose=0, shuffle=False,
                           callbacks=[TerminateOnNaN(), LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(b))])  # fmt: skip
    assert seen == [0, 1, 2] and len(history.epoch) == 1
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out


def test_terminate_on_nan_can_raise() -> None:
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 2"):
        _model().fit(*_nan_data(), batch_size=1, epochs=1, verbose=0, shuffle=False,
                     callbacks=[TerminateOnNaN(raise_error=True)])  # fmt: skip


def test_terminate_on_nan_checks_plain_logs_too() -> None:
    callback = TerminateOnNaN()
    model = type("M", (), {"stop_training": False})()
    callback.set_model(model)
    callback.on_train_batch_end(0, {"loss": 1.0})
    assert not model.stop_training
    callback.on_train_batch_end(1, {"loss": float("inf")})
    assert model.stop_training


def test_terminate_on_nan_on_cuda_reads_only_landed_copies(monkeypatch) -> None:
    # The CUDA path, simulated on the CPU: each check's copy lands one batch later.
    import torch

    landed_now = [False]

    def start_check(loss):
        return torch.tensor(not bool(torch.isfinite(loss))), lambda: landed_now[0]

    callback = TerminateOnNaN()
    monkeypatch.setattr(callback, "_deferred", lambda loss: True)
    monkeypatch.setattr(callback, "_start_check", start_check)
    model = type("M", (), {"stop_training": False})()
    callback.set_model(model)
    callback.on_epoch_begin(0)
    losses = [1.0, 1.0, float("nan"), float("nan"), float("nan")]
    stopped_at = None
    for batch, loss in enumerate(losses):
        landed_now[0] = batch != 1  # at batch 1 batch 0's copy is still in flight: checked later
        callback.on_train_batch_end(batch, {"loss": torch.tensor(loss)})
        if model.stop_training:
            stopped_at = batch
            break
    # Batch 0 starts a copy; at batch 1 it is still in flight (no read, no new copy); batch 2
    # reads it (finite) and starts copying its own NaN flag; batch 3 reads that and stops.
    assert stopped_at == 3


def test_lambda_callback_calls_only_the_hooks_given() -> None:
    calls = []
    callback = LambdaCallback(
        on_train_begin=lambda logs: calls.append("train_begin"),
        on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", epoch, sorted(logs))),
        on_test_end=lambda logs: calls.append("test_end"),
    )
    callbacks = CallbackList([callback], model=None, params={})
    assert callbacks.wants("on_epoch_end") and callbacks.wants("on_test_end")
    assert not callbacks.wants("on_train_batch_begin") and not callbacks.wants("on_train_batch_end")
    _model().fit(np.ones((4, 1)), np.ones((4, 1)), epochs=2, verbose=0, validation_split=0.5, callbacks=[callback])
    assert calls == ["train_begin", "test_end", ("epoch_end", 0, ["loss", "val_loss"]),
                     "test_end", ("epoch_end", 1, ["loss", "val_loss"])]  # fmt: skip


def test_lambda_callback_errors_teach() -> None:
    with pytest.raises(TypeError, match=r"unknown hooks \['on_epoch_ned'\]"):
        LambdaCallback(on_epoch_ned=print)
    with pytest.raises(TypeError, match="`on_epoch_end` must be callable"):
        LambdaCallback(on_epoch_end="print")


def test_history_plot_writes_a_png(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    model = _model()
    model.compile("sgd", "mse", metrics=["mae"])
    history = model.fit(np.ones((8, 1)), np.ones((8, 1)), epochs=3, verbose=0, validation_split=0.25)
    path = history.plot(tmp_path / "curves.png", title="run")
    with open(path, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="nothing to plot yet"):
        History().plot(tmp_path / "empty.png")


def test_history_state_round_trips_and_continues() -> None:
    history = History()
    history.set_model(type("M", (), {})())
    history.on_train_begin()
    history.on_epoch_end(0, {"loss": 1.0})
    state = json.loads(json.dumps(history.get_state()))
    resumed = History()
    resumed.set_model(type("M", (), {})())
    resumed.set_state(state)
    resumed.on_train_begin()
    resumed.on_epoch_end(1, {"loss": 0.5})
    assert resumed.epoch == [0, 1] and resumed.history == {"loss": [1.0, 0.5]}


def test_base_callback_state_is_empty() -> None:
    callback = fitorch.callbacks.Callback()
    assert callback.get_state() == {}
    callback.set_state({})


def test_on_batch_hooks_are_keras_aliases_of_the_training_batch_hooks():
    from tests.layers.harness import keras as keras_module

    seen = []
    for library in (fitorch, keras_module()):

        class Batches(library.callbacks.Callback):
            def on_train_begin(self, logs=None):
                self.calls = []

            def on_batch_begin(self, batch, logs=None):
                self.calls.append(("begin", batch))

            def on_batch_end(self, batch, logs=None):
                self.calls.append(("end", batch, sorted(logs)))

        callback = Batches()
        model = library.Sequential([library.layers.Input(shape=(2,)), library.layers.Dense(1)])
        model.compile("sgd", "mse")
        model.fit(np.ones((6, 2)), np.ones((6, 1)), batch_size=3, epochs=1, verbose=0, callbacks=[callback])
        seen.append(callback.calls)
    assert seen[0] == seen[1] and len(seen[0]) == 4
