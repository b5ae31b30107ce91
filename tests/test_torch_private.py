"""The torch internals ``fitorch._torch_private`` relies on behave as it assumes, on the installed torch."""

from __future__ import annotations

import torch
from torch import nn

import fitorch
from fitorch import _torch_private


class _Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.dense = nn.Linear(3, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.dense(x))


def test_is_compiled_and_uncompile_follow_nn_module_compile() -> None:
    graphs: list[object] = []

    def backend(graph_module: torch.fx.GraphModule, example_inputs: list) -> object:
        graphs.append(graph_module)
        return graph_module.forward

    module = _Net()
    x = torch.randn(4, 3)
    expected = module(x)
    assert not _torch_private.is_compiled(module)
    module.compile(backend=backend)
    assert _torch_private.is_compiled(module)
    torch.testing.assert_close(module(x), expected)
    assert len(graphs) == 1  # the call went through torch.compile
    _torch_private.uncompile(module)
    assert not _torch_private.is_compiled(module)
    other = torch.randn(7, 3)  # a new shape: a compiled call would trace again
    torch.testing.assert_close(module(other), torch.relu(module.dense(other)))
    assert len(graphs) == 1  # eager again


def test_share_tables_makes_the_wrapper_see_the_module_state() -> None:
    module = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    module.register_buffer("scale", torch.ones(3))
    wrapper = nn.Module()
    _torch_private.share_tables(wrapper, module)
    assert list(wrapper.state_dict()) == list(module.state_dict())
    assert [id(c) for c in wrapper.children()] == [id(c) for c in module.children()]
    wrapper.to(torch.float64)  # _apply replaces buffers in the shared table: the module sees the new ones
    assert module.scale.dtype == torch.float64 and module[1].running_mean.dtype == torch.float64
    assert all(p.dtype == torch.float64 for p in module.parameters())


def test_wrap_keeps_the_module_keys_through_share_tables() -> None:
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    net.register_buffer("scale", torch.ones(3))
    model = fitorch.wrap(net)
    assert list(model.state_dict()) == list(net.state_dict())
    model.to(torch.float64)
    assert net.scale.dtype == torch.float64
    torch.testing.assert_close(model(torch.ones(4, 2, dtype=torch.float64)), net(torch.ones(4, 2, dtype=torch.float64)))
