"""``layers.TorchModule``: a plain torch module as a layer of a functional model (Keras' TorchModuleWrapper)."""

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import fitorch
from fitorch import layers
from fitorch.graph.node import inbound_nodes
from fitorch.saving import register_serializable
from tests.saving.helpers import read_members, safetensors_bytes, write_members


@register_serializable(package="tests_graph")
class SavableLinear(nn.Linear):
    def get_config(self):
        return {"in_features": self.in_features, "out_features": self.out_features}


def test_records_a_node_and_runs_the_module_eagerly():
    linear = nn.Linear(8, 4)
    wrapper = layers.TorchModule(linear)
    inputs = layers.Input(shape=(8,))
    hidden = wrapper(inputs)
    assert hidden.shape == (None, 4) and hidden.layer is wrapper
    assert [node.outputs for node in inbound_nodes(wrapper)] == [hidden]
    assert "_inbound_nodes" in wrapper.__dict__ and "_inbound_nodes" not in dict(wrapper.named_modules())
    x = torch.randn(3, 8)
    torch.testing.assert_close(wrapper(x), F.linear(x, linear.weight, linear.bias))
    model = fitorch.Model(inputs, hidden)
    torch.testing.assert_close(model(x), F.linear(x, linear.weight, linear.bias))


def test_state_dict_keys_are_the_modules_under_the_layer_name():
    inputs = layers.Input(shape=(8,))
    wrapper = layers.TorchModule(nn.Linear(8, 4), name="proj")
    model = fitorch.Model(inputs, layers.Dense(2, name="out")(wrapper(inputs)))
    assert list(model.state_dict()) == ["proj.weight", "proj.bias", "out.weight", "out.bias"]
    assert model.proj is wrapper.module and model.get_layer("proj") is wrapper
    assert list(wrapper.state_dict()) == ["module.weight", "module.bias"]  # on its own, the usual child key
    assert model.count_params() == 8 * 4 + 4 + 4 * 2 + 2


def test_default_name_is_the_module_class_and_keras_alias():
    assert layers.TorchModuleWrapper is layers.TorchModule
    assert layers.TorchModule(nn.Linear(2, 2)).name.startswith("linear")
    assert layers.TorchModule(nn.GELU(), name="act").name == "act"


def test_sequential_wraps_plain_modules():
    linear = nn.Linear(6, 4)
    model = fitorch.Sequential([layers.Input(shape=(6,)), linear, nn.ReLU(), layers.Dense(2, name="out")])
    assert isinstance(model.layers[0], layers.TorchModule) and model.layers[0].module is linear
    assert [k for k in model.state_dict() if not k.startswith("out")] == [
        f"{model.layers[0].name}.weight",
        f"{model.layers[0].name}.bias",
    ]
    x = torch.randn(5, 6)
    out = model.get_layer("out")
    torch.testing.assert_close(model(x), F.linear(F.relu(linear(x)), out.weight, out.bias))
    lazy = fitorch.Sequential([nn.Linear(6, 3)])
    keys_before = list(lazy.state_dict())
    lazy(x)
    assert list(lazy.state_dict()) == keys_before  # same names before and after the lazy build


def test_trainable_false_freezes_the_module():
    wrapper = layers.TorchModule(nn.Linear(3, 2), trainable=False)
    assert not any(p.requires_grad for p in wrapper.module.parameters())
    wrapper.trainable = True
    assert all(p.requires_grad for p in wrapper.module.parameters())


def test_training_mode_reaches_the_module():
    inputs = layers.Input(shape=(1000,))
    model = fitorch.Model(inputs, layers.TorchModule(nn.Dropout(0.5))(inputs))
    ones = torch.ones(2, 1000)
    assert torch.equal(model.eval()(ones), ones)
    assert (model.train()(ones) == 0).any()
    assert torch.equal(model(ones, training=False), ones)


def test_multiple_outputs_unpack():
    inputs = layers.Input(shape=(7, 4))
    lstm = nn.LSTM(4, 6, batch_first=True)
    sequence, (h, c) = layers.TorchModule(lstm)(inputs)
    assert sequence.shape == (None, 7, 6) and h.shape == (1, None, 6)
    model = fitorch.Model(inputs, sequence)
    x = torch.randn(2, 7, 4)
    torch.testing.assert_close(model(x), lstm(x)[0])


def test_output_shape_skips_inference():
    inputs = layers.Input(shape=(3,))
    out = layers.TorchModule(nn.Linear(3, 5), output_shape=(None, 5))(inputs)
    assert out.shape == (None, 5)


def test_bad_arguments_are_refused_clearly():
    with pytest.raises(TypeError, match=r"TorchModule: module must be a torch\.nn\.Module; received function"):
        layers.TorchModule(lambda x: x)
    with pytest.raises(TypeError, match=r"TorchModule: Dense 'already' is already a fitorch layer; call it"):
        layers.TorchModule(layers.Dense(2, name="already"))
    with pytest.raises(ValueError, match=r"TorchModule: LazyLinear is a lazy module whose parameters are not"):
        layers.TorchModule(nn.LazyLinear(3))
    with pytest.raises(TypeError, match=r"TorchModule: output_shape must be a tuple of ints and None"):
        layers.TorchModule(nn.Linear(3, 5), output_shape="5")
    with pytest.raises(ValueError, match=r"Module 'bad' \(Linear\) cannot be called on inputs with shapes \(None, 4\)"):
        layers.TorchModule(nn.Linear(3, 5), name="bad")(layers.Input(shape=(4,)))


def test_save_and_load_round_trip(tmp_path):
    inputs = layers.Input(shape=(4,))
    model = fitorch.Model(inputs, layers.Dense(2, name="out")(layers.TorchModule(SavableLinear(4, 3))(inputs)))
    model.save(tmp_path / "m.fitorch")
    entry = json.loads(read_members(tmp_path / "m.fitorch")["config.json"])["model"]["config"]["layers"][1]
    assert entry["class_name"] == "TorchModule"
    assert entry["config"]["module"] == {"class_name": "tests_graph>SavableLinear",
                                         "config": {"in_features": 4, "out_features": 3}}  # fmt: skip
    restored = fitorch.load_model(tmp_path / "m.fitorch")
    assert isinstance(restored.layers[1], layers.TorchModule) and isinstance(restored.layers[1].module, SavableLinear)
    assert list(restored.state_dict()) == list(model.state_dict())
    x = torch.randn(3, 4)
    torch.testing.assert_close(restored(x), model(x))


def test_unregistered_module_is_refused_at_save_time(tmp_path):
    inputs = layers.Input(shape=(4,))
    model = fitorch.Model(inputs, layers.TorchModule(nn.Linear(4, 2), name="raw")(inputs))
    with pytest.raises(TypeError, match=r"(?s)Layer 'raw' \(TorchModule\)'s module is a plain torch module "
                                        r"\(torch\.nn\.modules\.linear\.Linear\).*register_serializable"):  # fmt: skip
        model.save(tmp_path / "m.fitorch")


# config.json of a functional model and of a Sequential holding a plain registered module, byte for byte as the
# version before TorchModule wrote them (the module is a layer entry of its own; no wrapper).
OLD_FUNCTIONAL = {"class_name": "Functional", "config": {"name": "old", "trainable": True, "layers": [
    {"class_name": "InputLayer", "config": {"shape": [4], "batch_size": None, "dtype": "float32", "name": "x"},
     "name": "x"},
    {"class_name": "tests_graph>SavableLinear", "config": {"in_features": 4, "out_features": 3},
     "name": "savable_linear"},
    {"class_name": "Dense", "config": {"name": "out", "trainable": True, "units": 2, "activation": "linear",
     "use_bias": True, "kernel_initializer": "glorot_uniform", "bias_initializer": "zeros",
     "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None},
     "name": "out"}],
    "nodes": [{"layer": "savable_linear", "args": [{"tensor": ["x", 0, 0]}], "kwargs": {}},
              {"layer": "out", "args": [{"tensor": ["savable_linear", 0, 0]}], "kwargs": {}}],
    "inputs": {"tensor": ["x", 0, 0]}, "outputs": {"tensor": ["out", 0, 0]}}}  # fmt: skip
OLD_SEQUENTIAL = {"class_name": "Sequential", "config": {"name": "old_seq", "trainable": True, "layers": [
    {"class_name": "tests_graph>SavableLinear", "config": {"in_features": 4, "out_features": 3},
     "name": "savable_linear"},
    {**OLD_FUNCTIONAL["config"]["layers"][2]}],
    "input": {"shape": [4], "batch_size": None, "dtype": "float32"}}}  # fmt: skip


@pytest.mark.parametrize("entry", [OLD_FUNCTIONAL, OLD_SEQUENTIAL], ids=["functional", "sequential"])
def test_files_from_before_the_wrapper_still_load(tmp_path, entry):
    # metadata.json from a current save; config.json and the weights as the previous version wrote them.
    inputs = layers.Input(shape=(1,))
    fitorch.Model(inputs, layers.Dense(1)(inputs)).save(tmp_path / "current.fitorch")
    metadata = read_members(tmp_path / "current.fitorch")["metadata.json"]
    rng = np.random.default_rng(0)
    weights = {
        "savable_linear.weight": torch.from_numpy(rng.random((3, 4), dtype=np.float32)),
        "savable_linear.bias": torch.from_numpy(rng.random(3, dtype=np.float32)),
        "out.weight": torch.from_numpy(rng.random((2, 3), dtype=np.float32)),
        "out.bias": torch.from_numpy(rng.random(2, dtype=np.float32)),
    }
    config = {"format_version": 1, "model": entry, "compile_config": None}
    path = write_members(tmp_path / "old.fitorch", {
        "metadata.json": metadata, "config.json": json.dumps(config).encode(), "model.safetensors": safetensors_bytes(weights)
    })  # fmt: skip
    model = fitorch.load_model(path)
    assert isinstance(model.layers[0 if entry is OLD_SEQUENTIAL else 1], layers.TorchModule)
    assert list(model.state_dict()) == list(weights)  # the old keys, unchanged
    x = torch.randn(5, 4)
    hidden = F.linear(x, weights["savable_linear.weight"], weights["savable_linear.bias"])
    torch.testing.assert_close(model(x), F.linear(hidden, weights["out.weight"], weights["out.bias"]))


def test_keras_torch_module_wrapper_file_is_refused_without_unpickling(tmp_path):
    import keras

    inputs = keras.Input(shape=(4,))
    wrapped = keras.layers.TorchModuleWrapper(nn.Linear(4, 3), output_shape=(None, 3))(inputs)
    keras.Model(inputs, keras.layers.Dense(2)(wrapped)).save(tmp_path / "m.keras")
    keras.backend.clear_session()  # Keras numbers unnamed variables per session; leave the next test a fresh one
    with pytest.raises(fitorch.saving.UnsafeModelError, match=r"TorchModuleWrapper, which stores its torch module "
                       r"as pickled bytes.*never unpickles"):  # fmt: skip
        fitorch.load_model(tmp_path / "m.keras")
