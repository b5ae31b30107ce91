"""How a model is spread over the processes: ``compile(distribute=...)``.

* :class:`DataParallel` (``'ddp'``): every rank holds the whole model and
  ``torch.nn.parallel.DistributedDataParallel`` averages the gradients.
* :class:`FullyShard` (``'fsdp'``): FSDP2 (``torch.distributed.fsdp.fully_shard``)
  splits every layer's parameters, gradients and optimizer state over the ranks and
  gathers a layer's parameters only while it runs: for models that do not fit on
  one device.
* ``'auto'``: DDP when more than one process takes part, else nothing. ``None``: no
  distribution; each process trains on its own.

The strategy is applied on the first ``fit``, after lazily built layers are built and
before the optimizer is built (FSDP replaces the parameters with sharded ones).
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn


class Strategy:
    """Base class: ``apply(model)`` makes ``model`` train across the process group.

    ``apply`` either changes the model in place (FSDP) and returns ``None``, or returns a
    wrapper module (DDP) that ``fit``'s training step calls instead of the model; the
    model itself stays plain everywhere else (callbacks, ``evaluate``, user code).
    """

    name = "none"

    def apply(self, model: Any) -> nn.Module | None:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        return {}

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"


class DataParallel(Strategy):
    """Replicates the model; gradients are averaged across ranks by DDP.

    Args:
        **ddp_options: passed to ``DistributedDataParallel`` (e.g.
            ``find_unused_parameters=True`` for models with branches a step may skip).

    Example:
        >>> from fitorch.distributed import DataParallel
        >>> DataParallel(find_unused_parameters=True)
        DataParallel(find_unused_parameters=True)
    """

    name = "ddp"

    def __init__(self, **ddp_options: Any) -> None:
        self.ddp_options = ddp_options

    def get_config(self) -> dict[str, Any]:
        return dict(self.ddp_options)

    def apply(self, model: Any) -> nn.Module:
        device = model.device
        return nn.parallel.DistributedDataParallel(
            model, device_ids=[device] if device.type == "cuda" else None, **self.ddp_options
        )


class FullyShard(Strategy):
    """Shards parameters, gradients and optimizer state with FSDP2, one unit per layer.

    Each layer (a child of the model holding parameters; the entries of a
    ``ModuleList``/``ModuleDict`` count as layers) becomes one FSDP unit, then the
    model itself takes the rest. Rank 0's weights are broadcast first, so every rank
    starts from the same model however it was initialized.

    Args:
        **fully_shard_options: passed to ``fully_shard`` (``reshard_after_forward``,
            ``mp_policy``, ...).
    """

    name = "fsdp"

    def __init__(self, **fully_shard_options: Any) -> None:
        self.fully_shard_options = fully_shard_options

    def get_config(self) -> dict[str, Any]:
        return dict(self.fully_shard_options)

    def apply(self, model: Any) -> None:
        import torch.distributed as dist
        from torch.distributed.fsdp import fully_shard

        with torch.no_grad():
            for tensor in [*model.parameters(), *model.buffers()]:
                dist.broadcast(tensor.data, src=0)
        for unit in shard_units(model):
            fully_shard(unit, **self.fully_shard_options)
        fully_shard(model, **self.fully_shard_options)


def shard_units(model: nn.Module) -> list[nn.Module]:
    """The per-layer FSDP units of ``model``: its children with parameters, looking inside containers."""
    units = []
    for child in model.children():
        if isinstance(child, (nn.ModuleList, nn.ModuleDict)):  # containers have no forward to hook
            units.extend(c for c in child.children() if _has_parameters(c))
        elif _has_parameters(child):
            units.append(child)
    return units


def _has_parameters(module: nn.Module) -> bool:
    return next(module.parameters(), None) is not None


_NAMES = {"ddp": DataParallel, "fsdp": FullyShard}


def resolve(spec: Any) -> Strategy | str | None:
    """Checks ``compile(distribute=...)``: ``'auto'``, ``'ddp'``, ``'fsdp'``, ``None`` or a ``Strategy``.

    Raises:
        ValueError: for any other value.
    """
    if spec is None or spec == "auto" or isinstance(spec, Strategy):
        return spec
    if isinstance(spec, str) and spec.lower() in _NAMES:
        return _NAMES[spec.lower()]()
    raise ValueError(
        f"compile: distribute must be 'auto', 'ddp', 'fsdp', None or a fitorch.distributed strategy; "
        f"received {spec!r}."
    )


def strategy_for(spec: Strategy | str | None, world_size: int) -> Strategy | None:
    """The strategy to apply now: ``'auto'`` means DDP with several processes; one process needs none."""
    if world_size <= 1 or spec is None:
        return None
    return DataParallel() if spec == "auto" else spec
