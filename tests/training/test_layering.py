"""``fitorch.training`` runs models without importing ``fitorch.models``, and keeps its state in one place.

The models package uses the trainer; the trainer works on any model through its public
steps and its compile config. What a loop decides (precision policy, DDP wrapper,
``torch.compile``, the running fit) lives in one ``TrainerState`` on the model, not in
private fields scattered over it.
"""

from __future__ import annotations

import ast
import pathlib

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.training.precision import FULL_PRECISION
from fitorch.training.state import TrainerState, route_for, step_route

TRAINING = pathlib.Path(fitorch.__file__).parent / "training"

# What a fit may add to a model's __dict__: Keras' public attributes, and the trainer's one state object.
FIT_ATTRIBUTES = {"_trainer_state"}


def module_level_imports(path: pathlib.Path) -> list[str]:
    """Modules imported at module level (not inside functions, and not under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                names.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                names.extend([base, *(f"{base}.{alias.name}" for alias in node.names)])
            elif isinstance(node, ast.If):
                if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)

    visit(tree.body)
    return names


def test_the_import_parser_sees_module_level_imports(tmp_path: pathlib.Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nimport fitorch.models.model\nfrom fitorch import models\n"
        "if TYPE_CHECKING:\n    from fitorch.models.functional import Functional\n"
        "def f():\n    from fitorch.models.sequential import Sequential\n"
    )
    imported = module_level_imports(source)
    assert "fitorch.models.model" in imported and "fitorch.models" in imported
    assert "fitorch.models.functional.Functional" not in imported and "fitorch.models.sequential" not in imported


@pytest.mark.parametrize("path", sorted(TRAINING.glob("*.py")), ids=lambda p: p.name)
def test_training_does_not_import_models(path: pathlib.Path) -> None:
    imported = module_level_imports(path)
    offenders = [name for name in imported if name == "fitorch.models" or name.startswith("fitorch.models.")]
    assert not offenders, f"{path.name} imports {offenders} at module level"


def _model() -> fitorch.Model:
    torch.manual_seed(0)
    return fitorch.Sequential([layers.Input(shape=(4,)), layers.Dense(3, activation="relu"), layers.Dense(1)])


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.standard_normal((32, 4)).astype("float32"), rng.standard_normal((32, 1)).astype("float32")


def test_fit_adds_only_the_trainer_state_to_the_model() -> None:
    model = _model()
    model.compile("adam", "mse", metrics=["mae"])
    before = dict(model.__dict__)
    x, y = _data()
    model.fit(x, y, epochs=2, batch_size=8, validation_split=0.25, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    model.train_on_batch(x[:8], y[:8])
    added = set(model.__dict__) - set(before)
    assert added == FIT_ATTRIBUTES
    changed = {k for k in before if model.__dict__[k] is not before[k]}
    assert changed <= {"history", "stop_training"}, changed  # Keras' own public attributes
    state = model.__dict__["_trainer_state"]
    assert isinstance(state, TrainerState)
    assert model.fit_state is state.fit and model.fit_state.epoch == 1
    assert model.precision is state.precision
    assert "_trainer_state" not in dict(model.named_modules()) and not any("trainer" in k for k in model.state_dict())


def test_steps_work_outside_fit_in_float32() -> None:
    model = _model()
    model.compile("sgd", "mse")
    assert model.fit_state is None and model.precision is FULL_PRECISION and model.precision.mode is None
    x, y = (torch.as_tensor(a) for a in _data())
    with torch.no_grad():
        expected = torch.nn.functional.mse_loss(model(x), y)
    logs = model.test_step((x, y))
    assert logs["loss"] == pytest.approx(float(expected), rel=1e-6)
    torch.testing.assert_close(model.predict_step((x,)), model(x))
    assert "_trainer_state" not in model.__dict__  # nothing ran a loop


def test_mixed_precision_defaults_to_float32_as_in_keras() -> None:
    model = _model()
    model.compile("sgd", "mse")
    assert model._mixed_precision is None
    x, y = _data()
    model.fit(x, y, epochs=1, verbose=0)
    assert model.precision.mode is None and model.precision.dtype is None


def test_mixed_precision_is_resolved_by_the_trainer_and_read_by_a_custom_step() -> None:
    seen: list[torch.dtype] = []

    class Net(fitorch.Model):
        def __init__(self) -> None:
            super().__init__()
            self.dense = torch.nn.Linear(4, 1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.dense(x)

        def train_step(self, batch: tuple) -> torch.Tensor:
            x, y = batch
            self.optimizer.zero_grad()
            with self.precision.autocast():
                y_pred = self(x)
                seen.append(y_pred.dtype)
                loss = torch.nn.functional.mse_loss(y_pred.float(), y)
            self.precision.backward(loss)
            self.precision.step(self.optimizer)
            return loss

    model = Net()
    model.compile("sgd", "mse", mixed_precision="bf16")
    x, y = _data()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert seen == [torch.bfloat16, torch.bfloat16]  # autocast on CPU in bf16, as the policy says
    assert model.precision.mode == "bf16"
    assert model(torch.as_tensor(x)).dtype == torch.float32  # outside a step: no autocast


def test_the_step_route_applies_to_that_model_only_and_only_inside() -> None:
    model, other = _model(), _model()
    calls: list[torch.Tensor] = []

    class Recorder(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            calls.append(x)
            return model(x)  # a DDP wrapper calls the model back

    x = torch.ones(2, 4)
    expected = model(x)
    with step_route(model, Recorder()):
        assert route_for(other) is None
        torch.testing.assert_close(model(x), expected)  # routed once, then the plain forward
        assert len(calls) == 1
        other(x)
        with torch.no_grad():
            model(x)  # only gradient-tracking calls are routed
        assert len(calls) == 1
    model(x)
    assert len(calls) == 1 and route_for(model) is None


def test_jit_compile_is_switched_on_and_off_by_the_trainer_only_for_itself() -> None:
    from fitorch import _torch_private
    from fitorch.training.trainer import apply_speed_switches

    model = _model()
    model.compile("sgd", "mse", jit_compile=True)
    apply_speed_switches(model)  # (torch.compile is lazy: nothing is compiled before a call)
    assert _torch_private.is_compiled(model) and TrainerState.of(model).jit_compiled
    model.compile("sgd", "mse", jit_compile=False)
    apply_speed_switches(model)
    assert not _torch_private.is_compiled(model) and not TrainerState.of(model).jit_compiled
    model.compile("sgd", "mse")  # 'auto': off on this device
    apply_speed_switches(model)
    assert not _torch_private.is_compiled(model)


def test_a_compile_the_user_did_stays() -> None:
    # Earlier tests compiled the same forward code: without a reset, dynamo's per-code cache limit can
    # send this compile straight to eager, and the backend below would never see a graph.
    torch.compiler.reset()
    graphs: list[object] = []

    def backend(graph_module: torch.fx.GraphModule, example_inputs: list) -> object:
        graphs.append(graph_module)
        return graph_module.forward

    model = _model()
    model.compile("sgd", "mse", jit_compile=False)
    torch.nn.Module.compile(model, backend=backend)  # torch's own in-place compile, done by the user
    x, y = _data()
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    assert graphs  # the training forward went through the user's compile
    assert not TrainerState.of(model).jit_compiled
