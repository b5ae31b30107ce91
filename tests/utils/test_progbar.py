"""fitorch.utils.Progbar against Keras 3's Progbar: the same averaged and stateful values, Keras' interface."""

import io
import re

import keras
import numpy as np
import pytest

from fitorch import utils

NUMBER = re.compile(r"(\w+): (-?[0-9.]+(?:e[-+][0-9]+)?)")


def final_values(text):
    line = [line for line in re.split(r"[\r\n]", text) if line.strip()][-1]
    return {name: float(value) for name, value in NUMBER.findall(line)}


def drive(bar, steps):
    for kind, amount, values in steps:
        if kind == "update":
            bar.update(amount, values)
        else:
            bar.add(amount, values)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("stateful", [None, ["accuracy"]])
def test_averages_match_keras(capsys, seed, stateful):
    rng = np.random.default_rng(seed)
    steps, current = [], 0
    while current < 8:
        amount = int(rng.integers(1, 3))
        values = [("loss", float(rng.uniform(0, 2))), ("accuracy", float(rng.uniform(0, 1)))]
        if rng.random() < 0.5:
            steps.append(("add", amount, values))
        else:
            steps.append(("update", current + amount, values))
        current += amount
    target = current + 1
    steps.append(("update", target, None))  # finalize with nothing new: the averages show
    capsys.readouterr()
    drive(keras.utils.Progbar(target, stateful_metrics=stateful, interval=0), steps)
    expected = final_values(capsys.readouterr().out)
    out = io.StringIO()
    drive(utils.Progbar(target, stateful_metrics=stateful, interval=0, stream=out), steps)
    result = final_values(out.getvalue())
    assert set(result) == set(expected) == {"loss", "accuracy"}
    for name in expected:
        assert result[name] == pytest.approx(expected[name], abs=1e-4), name


def test_values_of_the_final_update_show_as_given_as_in_keras(capsys):
    steps = [("update", 1, [("loss", 1.0)]), ("update", 2, [("loss", 5.0)])]
    capsys.readouterr()
    drive(keras.utils.Progbar(2, interval=0), steps)
    expected = final_values(capsys.readouterr().out)
    out = io.StringIO()
    drive(utils.Progbar(2, interval=0, stream=out), steps)
    assert final_values(out.getvalue()) == expected == {"loss": 5.0}


def test_verbose_modes_width_and_unit_name():
    silent = io.StringIO()
    bar = utils.Progbar(3, verbose=0, stream=silent)
    bar.add(3, [("loss", 1.0)])
    assert silent.getvalue() == ""
    out = io.StringIO()
    bar = utils.Progbar(4, width=7, unit_name="sample", stream=out)
    bar.add(2)
    assert out.getvalue() == ""  # not a terminal: one line when finished, as fit's bar
    bar.add(2, {"loss": 0.5})
    line = out.getvalue()
    assert line.startswith("4/4 " + "━" * 7 + " ") and "/sample" in line and line.count("\n") == 1
    assert line.rstrip().endswith("loss: 0.5000")
    out = io.StringIO()
    bar = utils.Progbar(2, verbose=2, stream=out)
    bar.update(2, [("loss", 2.0)])
    assert out.getvalue().startswith("2/2 - ") and out.getvalue().rstrip().endswith("loss: 2.0000")


def test_errors():
    with pytest.raises(ValueError, match="stateful_metrics or stateless_metrics, not both"):
        utils.Progbar(2, stateful_metrics=["a"], stateless_metrics=["b"])
    with pytest.raises(ValueError, match="width must be a positive int; received width=0"):
        utils.Progbar(2, width=0)
