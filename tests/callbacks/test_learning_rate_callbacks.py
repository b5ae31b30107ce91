"""ReduceLROnPlateau and LearningRateScheduler against Keras 3, with fitorch and torch optimizers."""

import json

import keras
import numpy as np
import pytest
import torch

import fitorch
from fitorch.callbacks import LearningRateScheduler, ReduceLROnPlateau
from tests.callbacks.keras_oracle import run_epochs

CURVE = [1.0, 0.9, 0.9, 0.9, 0.9, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.84, 0.84, 0.84, 0.84]


@pytest.mark.parametrize(
    "settings",
    [
        {"patience": 2},
        {"patience": 1, "factor": 0.5, "cooldown": 2},
        {"patience": 1, "factor": 0.5, "min_lr": 0.03},
        {"patience": 2, "min_delta": 0.06},
        {"patience": 1, "mode": "max"},
    ],
    ids=lambda s: "-".join(f"{k}={v}" for k, v in s.items()),
)
def test_reduce_lr_on_plateau_matches_keras(settings) -> None:
    ours, theirs = ReduceLROnPlateau(**settings), keras.callbacks.ReduceLROnPlateau(**settings)
    ours_run, theirs_run = run_epochs(ours, CURVE), run_epochs(theirs, CURVE)
    assert ours_run["rates"] == pytest.approx(theirs_run["rates"], rel=1e-12)
    assert (ours.wait, ours.cooldown_counter, ours.best) == (theirs.wait, theirs.cooldown_counter, theirs.best)


def test_reduce_lr_in_fit_logs_the_rate_and_state_resumes() -> None:
    model = fitorch.Sequential([fitorch.layers.Input(shape=(2,)), fitorch.layers.Dense(1)])
    model.compile(fitorch.optimizers.SGD(learning_rate=0.1), "mse")
    reduce = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=1e9, cooldown=1)
    history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=5, verbose=0, callbacks=[reduce])
    # Keras' cooldown: the epoch after a reduction only counts the cooldown down, then waiting resumes.
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.1, 0.05, 0.025, 0.0125])
    state = json.loads(json.dumps(reduce.get_state()))
    resumed = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, min_delta=1e9, cooldown=1)
    resumed.set_state(state)
    resumed.set_model(model)
    resumed.on_train_begin()
    assert resumed.get_state() == state


def test_reduce_lr_on_a_plain_torch_optimizer_with_param_groups() -> None:
    weights = [torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(1))]
    optimizer = torch.optim.SGD([{"params": [weights[0]], "lr": 0.1}, {"params": [weights[1]], "lr": 0.01}])
    model = type("M", (), {"optimizer": optimizer, "stop_training": False})()
    reduce = ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5, min_lr=0.006, mode="min")
    reduce.set_model(model)
    reduce.on_train_begin()
    for epoch in range(3):
        reduce.on_epoch_end(epoch, {"loss": 1.0})
    assert [g["lr"] for g in optimizer.param_groups] == pytest.approx([0.025, 0.006])


def test_reduce_lr_errors_teach() -> None:
    with pytest.raises(ValueError, match="does not support a factor >= 1.0"):
        ReduceLROnPlateau(factor=1.0)
    model = fitorch.Sequential([fitorch.layers.Dense(1)])
    model.compile(fitorch.optimizers.SGD(learning_rate=fitorch.optimizers.schedules.ExponentialDecay(0.1, 1, 0.5)),
                  "mse")  # fmt: skip
    reduce = ReduceLROnPlateau(monitor="loss", patience=0, min_delta=1e9)
    with pytest.raises(TypeError, match="not settable"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=3, verbose=0, callbacks=[reduce])


@pytest.mark.parametrize(
    "schedule",
    [
        lambda epoch, lr: lr * 0.5 if epoch else lr,
        lambda epoch: 0.1 / (epoch + 1),
        lambda epoch, lr: np.float32(lr * 0.9),
    ],
    ids=["two-args", "one-arg", "numpy-float"],
)
def test_learning_rate_scheduler_matches_keras(schedule) -> None:
    ours, theirs = LearningRateScheduler(schedule), keras.callbacks.LearningRateScheduler(schedule)
    assert run_epochs(ours, [1.0] * 4)["rates"] == pytest.approx(run_epochs(theirs, [1.0] * 4)["rates"], rel=1e-7)


def test_learning_rate_scheduler_in_fit_and_its_errors(capsys) -> None:
    model = fitorch.Sequential([fitorch.layers.Input(shape=(2,)), fitorch.layers.Dense(1)])
    model.compile(torch.optim.SGD, "mse")  # a plain torch optimizer class
    scheduler = LearningRateScheduler(lambda epoch: 0.1 * 0.5**epoch, verbose=1)
    history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=3, verbose=0, callbacks=[scheduler])
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.025])
    assert "Epoch 3: LearningRateScheduler setting learning rate to 0.025." in capsys.readouterr().out
    with pytest.raises(ValueError, match="should be a float. Got: 'fast'"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=1, verbose=0,
                  callbacks=[LearningRateScheduler(lambda epoch, lr: "fast")])  # fmt: skip
    with pytest.raises(TypeError, match="must be callable"):
        LearningRateScheduler(0.1)
