"""Keras' functional subclass: ``MyModel(inputs, outputs)`` builds the graph and keeps the subclass's methods."""

import json
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import torch

import fitorch
from fitorch import layers
from tests.models.functional_subclass import Doubling

ROOT = pathlib.Path(__file__).resolve().parents[2]


def build() -> fitorch.Model:
    inputs = layers.Input(shape=(3,))
    return Doubling(inputs, layers.Dense(2, name="head")(inputs), name="doubling")


def test_subclass_built_from_inputs_and_outputs_keeps_its_methods_and_train_step():
    model = build()
    assert isinstance(model, Doubling) and type(model).__name__ == "Doubling" and model.name == "doubling"
    assert [layer.name for layer in model.layers][1:] == ["head"]
    x = torch.ones(4, 3)
    torch.testing.assert_close(model.doubled(x), 2 * model(x))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((8, 3), "float32"), np.zeros((8, 2), "float32"), batch_size=4, verbose=0)
    assert model.steps_run == 2
    assert type(build()) is type(model)  # one derived class per subclass, not one per model


def test_subclass_saved_and_loaded_in_a_fresh_process(tmp_path):
    model = build()
    path = tmp_path / "doubling.fitorch"
    model.save(path)
    x = np.arange(6, dtype="float32").reshape(2, 3)
    expected = model.predict(x, verbose=0)
    program = textwrap.dedent(
        f"""
        import fitorch
        from tests.models.functional_subclass import Doubling
        import json
        import numpy as np
        model = fitorch.saving.load_model({str(path)!r})
        assert isinstance(model, Doubling), type(model)
        x = np.arange(6, dtype="float32").reshape(2, 3)
        print(json.dumps(model.predict(x, verbose=0).tolist()))
        """
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    np.testing.assert_allclose(np.array(json.loads(done.stdout.strip().splitlines()[-1])), expected, rtol=1e-6)
