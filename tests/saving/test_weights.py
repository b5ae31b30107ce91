"""Weights-only files: safetensors with state_dict names, mismatch reports, skip_mismatch."""

import numpy as np
import pytest
import safetensors.torch
import torch

import fitorch
from fitorch import layers
from fitorch.saving import UnsafeModelError, load_weights, save_weights
from tests.saving.helpers import functional_model


def test_round_trip_and_the_file_is_plain_safetensors(tmp_path):
    model = functional_model()
    path = tmp_path / "w.weights.safetensors"
    model.save_weights(path)
    assert safetensors.torch.load_file(path).keys() == model.state_dict().keys()
    other = functional_model()
    assert not torch.equal(other.get_layer("hidden").weight, model.get_layer("hidden").weight)
    other.load_weights(path)
    for name, tensor in model.state_dict().items():
        assert torch.equal(other.state_dict()[name], tensor)


def test_weights_load_into_the_same_architecture_in_plain_pytorch(tmp_path):
    model = fitorch.wrap(torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1)))
    save_weights(model, tmp_path / "w.safetensors")
    plain = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    plain.load_state_dict(safetensors.torch.load_file(tmp_path / "w.safetensors"))
    x = torch.randn(2, 4)
    assert torch.equal(plain(x), model(x))


def test_files_written_by_the_safetensors_library_load(tmp_path):
    model = functional_model()
    safetensors.torch.save_file({k: v.clone() for k, v in model.state_dict().items()}, tmp_path / "lib.safetensors")
    other = functional_model()
    other.load_weights(tmp_path / "lib.safetensors")
    assert torch.equal(other.get_layer("probs").bias, model.get_layer("probs").bias)


def _bigger_model():
    inputs = layers.Input(shape=(6,), name="features")
    hidden = layers.Dense(9, activation="relu", name="hidden")(inputs)  # 9 units instead of 8
    hidden = layers.Dense(8, name="extra")(hidden)
    return fitorch.Model(inputs, layers.Dense(3, name="probs", use_bias=False)(hidden))


def test_every_mismatch_is_reported_at_once_and_nothing_changes(tmp_path):
    functional_model().save_weights(tmp_path / "w.safetensors")
    model = _bigger_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(ValueError) as info:
        model.load_weights(tmp_path / "w.safetensors")
    message = str(info.value)
    assert "extra.weight" in message and "extra.bias" in message  # missing
    assert "norm.running_mean" in message and "probs.bias" in message  # unexpected
    assert "hidden.weight: expected (9, 6) got (8, 6)" in message
    assert "hidden.bias: expected (9,) got (8,)" in message
    assert "probs.weight: expected (3, 8) got (3, 8)" not in message
    assert "skip_mismatch=True" in message
    assert not isinstance(info.value, UnsafeModelError)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_skip_mismatch_loads_what_fits_and_warns(tmp_path):
    source = functional_model()
    source.save_weights(tmp_path / "w.safetensors")
    model = _bigger_model()
    with pytest.warns(UserWarning, match=r"hidden.weight: expected \(9, 6\) got \(8, 6\)"):
        model.load_weights(tmp_path / "w.safetensors", skip_mismatch=True)
    assert torch.equal(model.get_layer("probs").weight, source.get_layer("probs").weight)


def test_unbuilt_model_and_wrong_suffix_are_clear_errors(tmp_path):
    lazy = fitorch.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="not built yet"):
        lazy.save_weights(tmp_path / "w.safetensors")
    functional_model().save_weights(tmp_path / "w.safetensors")
    with pytest.raises(ValueError, match="not built yet"):
        lazy.load_weights(tmp_path / "w.safetensors")
    with pytest.raises(ValueError, match=r"ending in '.safetensors'.*received .*w.h5"):
        functional_model().save_weights(tmp_path / "w.h5")


def test_weights_come_out_of_a_model_file(tmp_path):
    model = functional_model()
    model.save(tmp_path / "m.fitorch")
    other = functional_model()
    other.load_weights(tmp_path / "m.fitorch")
    assert torch.equal(other.get_layer("hidden").weight, model.get_layer("hidden").weight)


def test_a_pickle_is_never_loaded_as_weights(tmp_path):
    model = functional_model()
    torch.save(model.state_dict(), tmp_path / "w.pt")
    with pytest.raises(UnsafeModelError, match="fitorch never unpickles"):
        load_weights(model, tmp_path / "w.pt")


def test_save_weights_overwrite_false(tmp_path):
    model = functional_model()
    model.save_weights(tmp_path / "w.safetensors")
    with pytest.raises(FileExistsError):
        save_weights(model, tmp_path / "w.safetensors", overwrite=False)
    np.testing.assert_array_equal(
        safetensors.torch.load_file(tmp_path / "w.safetensors")["probs.bias"].numpy(),
        model.get_layer("probs").bias.detach().numpy(),
    )


def test_pytorch_style_model_needs_no_first_call(tmp_path):
    class Net(fitorch.Model):
        def __init__(self):
            super().__init__()
            self.body = torch.nn.Linear(4, 2)

        def forward(self, x):
            return self.body(x)

    source = Net()
    source.save_weights(tmp_path / "net.safetensors")
    fresh = Net()  # never called: its `built` flag is False, but its torch layers have weights
    fresh.load_weights(tmp_path / "net.safetensors")
    assert torch.equal(fresh.body.weight, source.body.weight)
