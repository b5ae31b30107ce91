"""Promise 4: devices are automatic, and control stays available."""

import numpy as np
import pytest
import torch

import fitorch
from fitorch import devices as device_module
from fitorch import layers


def apply_non_max_suppression(x):
    # Stands in for the seed's TensorFlow-pinned op: anything it allocates lands on the scope's device.
    keep = torch.ones(x.shape[0], dtype=torch.bool)
    return x[keep]


def test_the_seed_device_scope_runs_work_on_the_cpu():
    x = torch.randn(4, 3)
    with fitorch.device('/cpu:0'):
        y = apply_non_max_suppression(x)
        created = torch.zeros(2)
    assert y.device.type == "cpu" and created.device.type == "cpu"


@pytest.mark.parametrize("spec,expected", [
    ("/cpu:0", torch.device("cpu")), ("cpu", torch.device("cpu")), ("/device:CPU:0", torch.device("cpu")),
    (torch.device("cpu"), torch.device("cpu")), ("cuda:1", torch.device("cuda", 1)), ("/gpu:1", None),
    ("mps", torch.device("mps")),
])
def test_every_device_spelling_parses(spec, expected):
    parsed = device_module.parse_device(spec)
    if expected is None:
        assert parsed.index == 1 and parsed.type in ("cuda", "mps")
    else:
        assert parsed == expected


def test_a_bad_device_spelling_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown device 'tpu:0'"):
        fitorch.device("tpu:0").__enter__()
    with pytest.raises(TypeError, match="expected a string"):
        device_module.parse_device(3)


def test_best_device_prefers_cuda_then_mps_then_cpu(monkeypatch):
    device_module.best_device.cache_clear()
    try:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
        monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
        assert device_module.best_device() == torch.device("cuda", 0)
        device_module.best_device.cache_clear()
        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
        assert device_module.best_device() == torch.device("mps")
        device_module.best_device.cache_clear()
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
        assert device_module.best_device() == torch.device("cpu")
    finally:
        device_module.best_device.cache_clear()


def test_fit_places_the_model_on_the_best_device_without_any_to_call(monkeypatch):
    moves = []
    model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    monkeypatch.setattr(device_module, "best_device", lambda: torch.device("meta"))
    import fitorch.models.model as model_module  # noqa: E402

    monkeypatch.setattr(model_module, "best_device", lambda: torch.device("meta"))
    original = torch.nn.Module.to

    def spy(self, *args, **kwargs):
        moves.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(torch.nn.Module, "to", spy)
    target = model.place()
    assert target == torch.device("meta") and model.device.type == "meta" and moves


def test_an_explicit_to_is_respected():
    # The seed's manual juggling still works; fitorch then leaves the placement alone.
    net = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    net.to(device)
    assert net._placed_explicitly
    data = (torch.randn(4, 3), torch.randn(4, 2))
    inputs, labels = data[0].to(device), data[1].to(device)
    net.compile("sgd", "mse")
    net.fit(inputs, labels, epochs=1, verbose=0)
    assert net.device == device


def test_model_device_reports_where_the_weights_are():
    model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    assert model.device == torch.device("cpu")
    model.to("meta")
    assert model.device == torch.device("meta")


def test_a_layer_created_in_a_scope_stays_pinned_and_activations_cross_over():
    # On a CPU-only machine the second device is `meta` (shapes without data).
    inputs = layers.Input(shape=(4,))
    hidden = layers.Dense(8, name="home")(inputs)
    with fitorch.device("meta"):
        pinned = layers.Dense(2, name="pinned")
    assert pinned.pinned_device == torch.device("meta")
    model = fitorch.Model(inputs, pinned(hidden))
    assert model.get_layer("pinned").weight.is_meta  # built in its scope's device
    model.to("cpu")  # everything but the pinned layer moves
    assert model.get_layer("home").weight.device.type == "cpu"
    assert model.get_layer("pinned").weight.is_meta
    out = model(torch.randn(3, 4))  # cpu activations cross to meta at the pinned layer's edge
    assert out.is_meta and out.shape == (3, 2)
    model.double()  # dtype changes still reach the pinned layer
    assert model.get_layer("pinned").weight.dtype == torch.float64


def test_work_inside_a_scope_runs_there():
    model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    model.compile("sgd", "mse")
    with fitorch.device("cpu"):
        preds = model.predict(np.ones((2, 3)), verbose=0)
    assert preds.shape == (2, 2) and model.device.type == "cpu"
