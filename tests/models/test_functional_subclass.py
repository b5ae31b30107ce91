"""Keras' functional subclass: ``MyModel(inputs, outputs)`` builds the graph and keeps the subclass's methods."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import torch

import fitorch
from fitorch import layers

CLASS_SOURCE = textwrap.dedent(
    """
    import fitorch

    @fitorch.saving.register_keras_serializable(package="tests")
    class Doubling(fitorch.Model):
        \"\"\"A functional subclass with its own method and train_step.\"\"\"

        def train_step(self, batch):
            self.steps_run = getattr(self, "steps_run", 0) + 1
            return super().train_step(batch)

        def doubled(self, x):
            return 2 * self(x)
    """
)
namespace: dict = {}
exec(compile(CLASS_SOURCE, "<functional subclass>", "exec"), namespace)  # (the same source runs in the subprocess)
Doubling = namespace["Doubling"]


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
    program = CLASS_SOURCE + textwrap.dedent(
        f"""
        import json
        import numpy as np
        model = fitorch.saving.load_model({str(path)!r})
        assert isinstance(model, Doubling), type(model)
        x = np.arange(6, dtype="float32").reshape(2, 3)
        print(json.dumps(model.predict(x, verbose=0).tolist()))
        """
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    np.testing.assert_allclose(np.array(json.loads(done.stdout.strip().splitlines()[-1])), expected, rtol=1e-6)
