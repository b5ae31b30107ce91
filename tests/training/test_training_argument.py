"""Keras' ``training`` call argument reaches the layers that take it, as in Keras 3.

A layer written Keras' way, ``call(self, x, training=None)``, receives ``True`` in
``fit``'s training steps, ``False`` in ``evaluate`` and ``predict``, and ``None`` in a
plain call; a ``training=True`` recorded in a functional graph drops nothing in
``predict``. Each case runs the same program in Keras 3 (torch backend) as the oracle.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers

# One program, run by both libraries: ``LIB`` is ``fitorch`` or ``keras``. It prints what a
# probe layer's call received, step by step, in a plain call, fit, evaluate and predict.
PROBE_PROGRAM = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    LIB = sys.argv[1]
    if LIB == "keras":
        import keras
    else:
        import fitorch as keras

    seen = []

    class Probe(keras.layers.Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)
            self.probe = Probe()

        def call(self, x, training=False):
            seen.append(("model", training))
            return self.dense(self.probe(x))

    x = np.ones((4, 3), "float32")
    y = np.ones((4, 1), "float32")
    results = {}

    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(Probe()(inputs)))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)  # (Keras' first fit also makes a build call)
    for name, run in [
        ("plain", lambda: model(x)),
        ("fit", lambda: model.fit(x, y, batch_size=4, epochs=1, verbose=0)),
        ("evaluate", lambda: model.evaluate(x, y, batch_size=4, verbose=0)),
        ("predict", lambda: model.predict(x, batch_size=4, verbose=0)),
        ("explicit", lambda: model(x, training=True)),
    ]:
        seen.clear()
        run()
        results[name] = list(seen)

    sub = Sub()
    sub.compile(optimizer="sgd", loss="mse")
    sub(x)
    sub.fit(x, y, batch_size=4, epochs=1, verbose=0)
    for name, run in [
        ("sub_fit", lambda: sub.fit(x, y, batch_size=4, epochs=1, verbose=0)),
        ("sub_predict", lambda: sub.predict(x, batch_size=4, verbose=0)),
    ]:
        seen.clear()
        run()
        results[name] = [list(s) if isinstance(s, tuple) else s for s in seen]

    # A `training=True` recorded in the graph: the outer mode replaces it in predict (no dropout).
    inputs = keras.Input((200,))
    dropped = keras.Model(inputs, keras.layers.Dropout(0.5)(inputs, training=True))
    ones = np.ones((2, 200), "float32")
    results["recorded_predict_drops"] = bool((dropped.predict(ones, verbose=0) != 1).any())
    results["recorded_plain_drops"] = bool((np.asarray(dropped(ones)) != 1).any())
    print("RESULT" + json.dumps(results))
    """
)


def _run(library: str) -> dict:
    import json

    env = {**os.environ, "KERAS_BACKEND": "torch", "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run(
        [sys.executable, "-c", PROBE_PROGRAM, library], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])


def test_training_argument_matches_keras() -> None:
    pytest.importorskip("keras")
    ours, keras = _run("fitorch"), _run("keras")
    assert ours["fit"] == [True], ours  # (a guard on the program itself: the probe ran once per step)
    assert ours == keras


class Probe(layers.Layer):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[bool | None] = []

    def call(self, x: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        self.seen.append(training)
        return x


def _probed_model() -> tuple[fitorch.Model, Probe]:
    probe = Probe()
    inputs = fitorch.Input((3,))
    model = fitorch.Model(inputs, layers.Dense(1)(probe(inputs)))
    model.compile(optimizer="sgd", loss="mse")
    probe.seen.clear()  # (the calls that inferred shapes while the model was defined)
    return model, probe


def test_module_mode_set_by_the_user_during_fit_decides() -> None:
    """A sub-layer the user puts in eval mode during fit (a frozen layer, PyTorch's way) stays in it."""
    model, probe = _probed_model()

    class Freeze(fitorch.callbacks.Callback):
        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            probe.eval()

    x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[Freeze()])
    assert probe.seen == [False, False]


def test_nested_explicit_training_reaches_the_sub_tree_only() -> None:
    inner_probe, outer_probe = Probe(), Probe()

    class Block(layers.Layer):
        def __init__(self) -> None:
            super().__init__()
            self.inner = inner_probe

        def call(self, x: torch.Tensor) -> torch.Tensor:
            return self.inner(x, training=True) + outer_probe(x)

    block = Block()
    block(torch.ones(2, 3))
    assert inner_probe.seen == [True] and outer_probe.seen == [None]
    inner_probe.seen.clear(), outer_probe.seen.clear()
    block(torch.ones(2, 3), training=False)
    assert inner_probe.seen == [True] and outer_probe.seen == [False]
    assert block.training and inner_probe.training  # the modes set for the calls are restored


def test_custom_train_step_call_and_callbacks_see_keras_values() -> None:
    """A custom train_step's ``self(x)`` runs in the step's mode; a callback's ``model(x)`` is a plain call."""
    model, probe = _probed_model()
    seen_in_callback: list = []

    class Peek(fitorch.callbacks.Callback):
        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            probe.seen.clear()
            model(torch.ones(1, 3))
            seen_in_callback.extend(probe.seen)

    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[Peek()])
    assert seen_in_callback == [None]
    probe.seen.clear()
    model.train_on_batch(x, y)
    model.test_on_batch(x, y)
    model.predict_on_batch(x)
    assert probe.seen == [True, False, False]
