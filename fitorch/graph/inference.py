"""Output-shape inference by running a module on the ``meta`` device.

Layers that define ``compute_output_shape`` never come here. For everything else
(custom layers, ``Lambda``, the modules in ``TorchModule``, nested models) the module
runs on ``meta`` tensors: real shapes and dtypes, no data and no FLOPs. Unknown
dimensions (``None``) are probed with two different sizes; a dimension of the output
that changes between the two runs is unknown too.

A wrapped plain module runs its ``forward`` without its own forward hooks: defining a
model is not a call of the module, so a user's hook does not see the meta probes.
"""

from __future__ import annotations

import itertools
from typing import Any

import torch
from torch import nn

from fitorch.graph.node import TensorSpec
from fitorch.graph.symbolic_tensor import Shape, SymbolicTensor
from fitorch.utils.tree import flatten, map_structure, pack_sequence_as

# Two probe sizes for unknown dimensions. They are large enough for the kernels and
# pools of ordinary models to fit, and meta tensors cost nothing whatever their size.
PROBE_SIZES = (32, 33)


def concrete_shape(shape: Shape, probe: int) -> tuple[int, ...]:
    """Replaces every ``None`` in ``shape`` with ``probe``."""
    return tuple(probe if d is None else d for d in shape)


class _Forward(nn.Module):
    """Runs ``module.forward`` directly: torch's ``__call__`` (and so the module's hooks) is skipped."""

    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.module = module

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.module.forward(*args, **kwargs)


def run_on_meta(
    module: nn.Module, args: tuple, kwargs: dict[str, Any], probe: int = PROBE_SIZES[0], hooks: bool = True
) -> Any:
    """Calls ``module`` with symbolic tensors (and its own weights) replaced by meta tensors.

    With ``hooks=False`` the module's ``forward`` runs without its forward hooks.
    """
    if not hooks:
        module = _Forward(module)

    meta_args, meta_kwargs = map_structure(lambda value: meta_like(value, probe), (list(args), kwargs))

    def _run() -> Any:
        state = {
            name: torch.empty_like(tensor, device="meta")
            for name, tensor in itertools.chain(
                module.named_parameters(remove_duplicate=False), module.named_buffers(remove_duplicate=False)
            )
        }
        # torch.device('meta') also catches tensors the module creates itself (torch.zeros(...)).
        with torch.no_grad(), torch.device("meta"):
            return torch.func.functional_call(module, state, tuple(meta_args), meta_kwargs, strict=False)

    before = _weight_count(module)
    try:
        return _run()
    except Exception:
        # Sub-layers first built during this run got real weights, which meta inputs meet on their second
        # call (a layer applied at each step of a loop, or shared). They are built now: run again.
        if _weight_count(module) == before:
            raise
        return _run()


def meta_like(value: Any, probe: int) -> Any:
    """A symbolic tensor as a meta tensor of the probe's size, carrying its Keras mask when it has one (so
    that a layer's own call receives the mask, as Keras passes it); a real tensor as a meta copy."""
    if isinstance(value, SymbolicTensor):
        meta = torch.empty(concrete_shape(value.shape, probe), dtype=value.dtype, device="meta")
        mask = getattr(value, "_keras_mask", None)
        if mask is not None:
            meta._keras_mask = torch.empty(concrete_shape(mask.shape, probe), dtype=torch.bool, device="meta")
        return meta
    if isinstance(value, torch.Tensor) and not value.is_meta:
        return torch.empty_like(value, device="meta")
    return value


def _weight_count(module: nn.Module) -> int:
    return sum(1 for _ in itertools.chain(module.parameters(), module.buffers()))


def probed_shape(first: torch.Tensor, second: torch.Tensor) -> Shape:
    """The shape of one output seen at both probe sizes: ``None`` where the two runs differ."""
    return tuple(a if a == b else None for a, b in zip(first.shape, second.shape, strict=True))


def infer_output_specs(module: nn.Module, args: tuple, kwargs: dict[str, Any], hooks: bool = True) -> Any:
    """Returns the module's output structure with a ``TensorSpec`` per tensor output.

    Raises:
        TypeError: if the module returns something other than tensors.
    """
    runs = [run_on_meta(module, args, kwargs, probe, hooks) for probe in PROBE_SIZES]
    first, second = (flatten(run) for run in runs)
    specs = []
    for a, b in zip(first, second, strict=True):
        if not isinstance(a, torch.Tensor):
            raise TypeError(
                f"{type(module).__name__} returned {type(a).__name__}; a layer in a functional "
                "model must return tensors (or lists/tuples/dicts of tensors)."
            )
        specs.append(TensorSpec(probed_shape(a, b), a.dtype))
    return pack_sequence_as(runs[0], specs)
