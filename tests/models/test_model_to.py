"""``Model.to`` notices an explicit device in every form ``nn.Module.to`` accepts, without torch internals."""

from __future__ import annotations

import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.models.model import _names_device

# Every calling form of nn.Module.to (its docstring), with and without a device.
FORMS = [
    ((torch.device("cpu"),), {}),
    (("cpu",), {}),
    (("cpu", torch.float64), {}),
    (("cpu", torch.float64, False), {}),
    ((torch.float64,), {}),
    ((torch.float64, True), {}),
    ((torch.zeros(1, dtype=torch.float64),), {}),
    ((torch.zeros(1), True), {}),
    ((), {"device": "cpu"}),
    ((), {"device": torch.device("cpu"), "dtype": torch.float64}),
    ((), {"dtype": torch.float64}),
    ((), {"dtype": torch.float64, "non_blocking": True}),
    ((), {"device": None, "dtype": torch.float32}),
    ((None,), {}),
    ((None, torch.float64), {}),
    ((), {"memory_format": torch.channels_last}),
    ((), {"tensor": torch.zeros(1)}),
]


def _model() -> fitorch.Model:
    return fitorch.Sequential([layers.Input(shape=(2,)), layers.Dense(1)])


@pytest.mark.parametrize(("args", "kwargs"), FORMS, ids=lambda v: repr(v)[:40])
def test_a_device_is_noticed_exactly_when_torch_sees_one(args: tuple, kwargs: dict) -> None:
    # Oracle: torch's own argument parser for Module.to (the one fitorch no longer calls).
    device, *_ = torch._C._nn._parse_to(*args, **kwargs)
    assert _names_device(args, kwargs) is (device is not None)
    model = _model()
    model.to(*args, **kwargs)
    assert model._placed_explicitly is (device is not None)
    reference = torch.nn.Linear(2, 1).to(*args, **kwargs)
    assert model.layers[0].weight.dtype == reference.weight.dtype


def test_a_device_index_counts_as_a_device() -> None:
    assert _names_device((0,), {}) and _names_device((), {"device": 0})
    if torch.cuda.is_available():  # (torch reads an index as an accelerator device, and needs one to parse it)
        assert torch._C._nn._parse_to(0)[0] is not None


def test_bad_arguments_still_get_torchs_error() -> None:
    with pytest.raises(TypeError):
        _model().to(object())
