"""EarlyStopping: the same decisions as Keras 3 on the same logs, and in a real fit."""

import json

import keras
import numpy as np
import pytest

import fitorch
from fitorch.callbacks import EarlyStopping
from tests.callbacks.keras_oracle import run_epochs

CURVES = {
    "down_then_flat": [1.0, 0.8, 0.7, 0.7, 0.69, 0.71, 0.72, 0.73, 0.74, 0.75],
    "noisy": [1.0, 0.9, 0.95, 0.85, 0.86, 0.84, 0.9, 0.91, 0.7, 0.8, 0.81, 0.82],
    "up": [0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
}
SETTINGS = [
    {},
    {"patience": 2},
    {"patience": 2, "min_delta": 0.05},
    {"patience": 1, "restore_best_weights": True},
    {"patience": 3, "baseline": 0.8, "restore_best_weights": True},
    {"patience": 1, "start_from_epoch": 3, "restore_best_weights": True},
    {"patience": 2, "mode": "max"},
]


@pytest.mark.parametrize("curve", sorted(CURVES))
@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: "-".join(f"{k}={v}" for k, v in s.items()) or "default")
def test_decisions_match_keras(curve, settings) -> None:
    values = CURVES[curve]
    ours, theirs = EarlyStopping(**settings), keras.callbacks.EarlyStopping(**settings)
    ours_run, theirs_run = run_epochs(ours, values), run_epochs(theirs, values)
    assert ours_run == theirs_run
    assert (ours.wait, ours.stopped_epoch, ours.best_epoch, ours.best) == (
        theirs.wait,
        theirs.stopped_epoch,
        theirs.best_epoch,
        theirs.best,
    )


def _model() -> fitorch.Model:
    model = fitorch.Sequential([fitorch.layers.Input(shape=(3,)), fitorch.layers.Dense(1)])
    model.compile(fitorch.optimizers.SGD(learning_rate=0.05), "mse", metrics=["mae"])
    return model


def test_stops_fit_and_restores_the_best_weights() -> None:
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 3)).astype("f"), rng.normal(size=(32, 1)).astype("f")
    model = _model()
    snapshots = []
    record = fitorch.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append({k: v.clone() for k, v in model.state_dict().items()})
    )
    # Validating on random targets: val_loss soon gets worse while training goes on.
    stop = EarlyStopping(monitor="val_mae", patience=2, restore_best_weights=True)
    history = model.fit(x, y, epochs=40, batch_size=8, verbose=0, validation_data=(x, -y), callbacks=[record, stop])
    epochs = len(history.epoch)
    assert epochs < 40 and stop.stopped_epoch == epochs - 1
    best = int(np.argmin(history.history["val_mae"]))
    assert stop.best_epoch == best and stop.best == history.history["val_mae"][best]
    for name, tensor in model.state_dict().items():
        assert np.array_equal(tensor.numpy(), snapshots[best][name].numpy())


def test_auto_mode_follows_the_metric_direction() -> None:
    model = _model()
    model.compile("sgd", "mse", metrics=["mae", fitorch.metrics.R2Score()])
    model.fit(np.ones((4, 3)), np.ones((4, 1)), epochs=1, verbose=0)
    for monitor, expected in [("val_loss", "less"), ("mae", "less"), ("val_r2_score", "greater")]:
        stop = EarlyStopping(monitor=monitor)
        stop.set_model(model)
        stop._set_monitor_op()
        assert stop.monitor_op.__name__ == f"_{expected}"
    unknown = EarlyStopping(monitor="val_something")
    unknown.set_model(model)
    with pytest.raises(ValueError, match="Pass `mode='max'`"):
        unknown.on_epoch_end(0, {"val_something": 1.0})


def test_missing_monitor_warns_and_does_nothing() -> None:
    stop = EarlyStopping(monitor="val_loss", mode="min")
    with pytest.warns(UserWarning, match="`val_loss` which is not available. Available metrics are: loss_only,loss"):
        run = run_epochs(stop, [1.0, 2.0], monitor="loss_only")
    assert run["epochs"] == 2 and stop.best is None


def test_unknown_mode_warns() -> None:
    with pytest.warns(UserWarning, match="mode 'maximum' is unknown"):
        EarlyStopping(mode="maximum")


def test_state_round_trips_and_survives_train_begin() -> None:
    stop = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    run_epochs(stop, [1.0, 0.5, 0.6])
    state = json.loads(json.dumps(stop.get_state()))
    assert state == {"wait": 1, "best": 0.5, "best_epoch": 1, "stopped_epoch": 0}
    tensors = stop.get_state_tensors()
    resumed = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    resumed.set_state(state)
    resumed.set_state_tensors(tensors)
    # Two more bad epochs after resuming: patience 3 is reached, the best epoch (1) is restored.
    run = run_epochs(resumed, [0.7, 0.8, 0.9])
    assert run["epochs"] == 2 and run["weights_epoch"] == 1
    assert EarlyStopping(monitor="x", mode="max").get_state()["best"] is None
