"""fitorch leaves torch as it found it: ``nn.Module.__call__`` stays torch's own, whatever is built.

Torch modules join a functional model only through ``layers.TorchModule``; a bare module
called on a symbolic tensor gets a TypeError that says so, and a user's forward hook does
not fire while a model is only being defined.
"""

import subprocess
import sys
import textwrap

import pytest
import torch
from torch import nn

import fitorch
from fitorch import layers

# Runs in a fresh interpreter: torch's __call__ is captured before fitorch is imported.
BUILD_EVERY_KIND = textwrap.dedent(
    """
    import sys, tempfile, pathlib
    import torch
    from torch import nn
    original = nn.Module.__call__
    assert original is nn.Module._wrapped_call_impl, original

    import fitorch
    from fitorch import layers

    class Net(fitorch.Model):
        def __init__(self):
            super().__init__()
            self.body = nn.Linear(6, 3)
        def forward(self, x):
            return torch.relu(self.body(x))

    def functional():
        inputs = layers.Input(shape=(6,))
        hidden = layers.TorchModule(nn.Linear(6, 4))(inputs)
        return fitorch.Model(inputs, layers.Dense(2)(fitorch.ops.relu(hidden) + 1.0))

    inner_in = layers.Input(shape=(6,))
    inner = fitorch.Model(inner_in, layers.Dense(6)(inner_in))
    outer_in = layers.Input(shape=(6,))
    sequence_in = layers.Input(shape=(5, 6))
    models = [
        fitorch.Sequential([layers.Input(shape=(6,)), layers.Dense(4), nn.ReLU(), layers.Dense(2)]),
        fitorch.Sequential([layers.Dense(4), nn.Tanh()]),
        functional(),
        Net(),
        fitorch.wrap(nn.Sequential(nn.Linear(6, 2))),
        fitorch.Model(outer_in, layers.Dense(1)(inner(outer_in))),
        fitorch.Model(sequence_in, layers.Dense(1)(layers.LSTM(3)(sequence_in))),
    ]
    path = pathlib.Path(tempfile.mkdtemp()) / "m.fitorch"
    models[5].save(path)
    models.append(fitorch.load_model(path))
    for model in models:
        model(torch.zeros(2, 5, 6) if model is models[6] else torch.zeros(2, 6))
    models[2].compile("adam", "mse")
    models[2].fit(torch.zeros(8, 6), torch.zeros(8, 2), epochs=1, verbose=0)

    assert nn.Module.__call__ is original, nn.Module.__call__
    assert nn.Module.__call__ is nn.Module._wrapped_call_impl
    assert nn.Module.__call__.__module__ == "torch.nn.modules.module", nn.Module.__call__.__module__
    assert nn.Module.__call__.__qualname__ == "Module._wrapped_call_impl", nn.Module.__call__.__qualname__
    assert nn.Linear.__call__ is original and fitorch.layers.Dense.__call__ is not original
    print("torch untouched")
    """
)


def test_building_every_kind_of_model_leaves_nn_module_call_alone():
    result = subprocess.run([sys.executable, "-c", BUILD_EVERY_KIND], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("torch untouched")


def test_in_this_process_nn_module_call_is_torch_own():
    inputs = layers.Input(shape=(3,))
    fitorch.Model(inputs, layers.TorchModule(nn.Linear(3, 2))(inputs))
    assert nn.Module.__call__ is nn.Module._wrapped_call_impl
    assert nn.Module.__call__.__module__ == "torch.nn.modules.module"


def test_a_users_forward_hook_does_not_fire_while_a_model_is_defined():
    linear = nn.Linear(8, 4)
    seen = []
    linear.register_forward_pre_hook(lambda module, args: seen.append(("pre", args[0].device.type)))
    linear.register_forward_hook(lambda module, args, output: seen.append(("post", output.device.type)))
    inputs = layers.Input(shape=(8,))
    model = fitorch.Model(inputs, layers.Dense(2)(layers.TorchModule(linear)(inputs)))
    assert seen == []  # shape inference ran on meta tensors without calling the module's hooks
    model(torch.zeros(3, 8))
    assert seen == [("pre", "cpu"), ("post", "cpu")]  # a real call runs them, once


@pytest.mark.parametrize(
    ("module", "op"),
    [(nn.Linear(8, 4), "linear"), (nn.BatchNorm1d(8), r"Tensor\.dim"), (nn.Sequential(nn.Linear(8, 2)), "linear")],
    ids=["linear", "batch_norm", "container"],
)
def test_a_bare_module_on_a_symbolic_tensor_says_to_wrap_it(module, op):
    inputs = layers.Input(shape=(8,))
    name = type(module).__name__
    with pytest.raises(TypeError, match=rf"(?s)torch module {name} \(torch\.nn\.modules\.\w+\.{name}\).*reached {op}"
                       r".*fitorch\.layers\.TorchModule\(module\)\(x\).*fitorch\.ops"):  # fmt: skip
        module(inputs)


def test_a_users_module_is_named_too():
    class Gate(nn.Module):
        def forward(self, x):
            return x[:, :2] * torch.sigmoid(x[:, 2:])

    with pytest.raises(TypeError, match=r"(?s)torch module Gate \(.*Gate\).*reached sigmoid.*TorchModule\(module\)"):
        Gate()(layers.Input(shape=(4,)))


def test_a_torch_function_outside_any_module_mentions_the_ways_out():
    inputs = layers.Input(shape=(3,))
    with pytest.raises(TypeError, match=r"(?s)tanh received a SymbolicTensor.*fitorch\.ops.*TorchModule\(module\)"):
        torch.tanh(inputs)
    with pytest.raises(TypeError, match=r"(?s)Tensor\.view .*fitorch\.ops.*TorchModule\(module\)"):
        inputs.view(-1)
    assert not hasattr(inputs, "view")  # still an AttributeError to hasattr/getattr(..., default)
    assert getattr(inputs, "device", "absent") == "absent"
