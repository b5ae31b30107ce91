"""disable_interactive_logging really moves fit's progress off stdout, into the "fitorch" logger (as Keras' absl)."""

import logging
import threading

import keras
import numpy as np
import pytest

import fitorch


@pytest.fixture
def restore_logging():
    yield
    fitorch.utils.enable_interactive_logging()
    keras.utils.enable_interactive_logging()


def fit_once(verbose):
    inputs = fitorch.Input(shape=(2,))
    model = fitorch.Model(inputs, fitorch.layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    model.fit(x, y, epochs=2, batch_size=4, verbose=verbose)


def test_switch_matches_keras(restore_logging):
    for api in (keras.utils, fitorch.utils):
        assert api.is_interactive_logging_enabled()
        api.disable_interactive_logging()
        assert not api.is_interactive_logging_enabled()
        api.enable_interactive_logging()
        assert api.is_interactive_logging_enabled()


@pytest.mark.parametrize("verbose", [1, 2])
def test_disabled_logging_silences_stdout_and_logs_instead(capsys, caplog, restore_logging, verbose):
    fit_once(verbose)
    shown = capsys.readouterr().out
    assert "Epoch 2/2" in shown and "loss:" in shown

    fitorch.utils.disable_interactive_logging()
    with caplog.at_level(logging.INFO, logger="fitorch"):
        fit_once(verbose)
    assert capsys.readouterr().out == ""
    logged = [r.getMessage() for r in caplog.records if r.name == "fitorch"]
    assert logged[0] == "Epoch 1/2" and "Epoch 2/2" in logged
    assert sum("loss:" in line for line in logged) == 2  # one final line per epoch, no redraws
    assert not any("\r" in line or "\x1b" in line for line in logged)


def test_the_switch_is_per_thread(capsys, restore_logging):
    fitorch.utils.disable_interactive_logging()
    seen = []
    worker = threading.Thread(target=lambda: seen.append(fitorch.utils.is_interactive_logging_enabled()))
    worker.start()
    worker.join()
    assert seen == [True] and not fitorch.utils.is_interactive_logging_enabled()


def test_keras_style_progbar_is_silenced_too(capsys, caplog, restore_logging):
    fitorch.utils.disable_interactive_logging()
    with caplog.at_level(logging.INFO, logger="fitorch"):
        bar = fitorch.utils.Progbar(2)
        bar.update(1, [("loss", 1.0)])
        bar.update(2, [("loss", 3.0)])
    assert capsys.readouterr().out == ""
    assert [r.getMessage().endswith("loss: 3.0000") for r in caplog.records if r.name == "fitorch"] == [True]
