"""What fitorch adds to an optimizer's ``state_dict()``, so that a checkpoint resumes exactly.

fitorch optimizers keep Keras' step counter, moving averages (``use_ema``) and gradient
accumulators; :func:`~fitorch.optimizers.schedules.attach` adds learning rate
schedulers to any torch optimizer. State-dict hooks put all of it into
``optimizer.state_dict()`` and take it back in ``load_state_dict()``:

* per-parameter tensors as the ``'ema'`` and ``'gradient_accumulator'`` entries of
  ``state_dict()['state'][i]``, next to torch's own (``exp_avg``, ...);
* the rest, plain data, under ``state_dict()['param_groups'][0]['fitorch']``:
  ``{'iterations': int, 'lr_schedulers': [scheduler.state_dict(), ...]}``.

Param groups and per-parameter state are what every optimizer checkpoint format
keeps (``torch.save``, fitorch's ``optimizer.safetensors``), so nothing is lost.
"""

from __future__ import annotations

from typing import Any

import torch

#: Keys of the per-parameter tensors added to ``state_dict()['state']``.
EMA_KEY, ACCUMULATOR_KEY = "ema", "gradient_accumulator"
#: The key, in ``state_dict()['param_groups'][0]``, of the step counter and attached schedulers.
EXTRAS_KEY = "fitorch"


def flat_params(optimizer: torch.optim.Optimizer) -> list[torch.Tensor]:
    """The parameters in ``state_dict`` order (its integer ids index this list)."""
    seen: set[int] = set()
    params = []
    for group in optimizer.param_groups:
        for param in group["params"]:
            if id(param) not in seen:
                seen.add(id(param))
                params.append(param)
    return params


def _is_fitorch(optimizer: torch.optim.Optimizer) -> bool:
    """A fitorch optimizer: one with Keras' step counter."""
    return "_iterations" in optimizer.__dict__


def install_state_hooks(optimizer: torch.optim.Optimizer) -> None:
    """Makes ``optimizer.state_dict()`` carry fitorch's extras (once per optimizer).

    Works on any torch optimizer, so schedulers attached to a plain
    ``torch.optim.Adam`` are saved with it too. The extras are the step counter and
    the attached schedulers' ``state_dict()``s (plain data, under
    ``state_dict['param_groups'][0]['fitorch']``) and the moving averages and
    gradient accumulators (in each parameter's ``state``).
    """
    if getattr(optimizer, "_fitorch_state_hooks", False):
        return
    optimizer.register_state_dict_post_hook(_add_extras)
    optimizer.register_load_state_dict_pre_hook(_take_extras)
    optimizer.register_load_state_dict_post_hook(_restore_extras)
    optimizer._fitorch_state_hooks = True


def _add_extras(optimizer: torch.optim.Optimizer, state_dict: dict[str, Any]) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if _is_fitorch(optimizer):
        extras["iterations"] = optimizer._iterations
        per_param = {EMA_KEY: optimizer._ema, ACCUMULATOR_KEY: optimizer._accumulators}
        if any(values is not None for values in per_param.values()):
            state = {index: dict(entry) for index, entry in state_dict["state"].items()}
            for key, values in per_param.items():
                for index, tensor in enumerate(values or []):
                    if tensor is not None:
                        state.setdefault(index, {})[key] = tensor
            state_dict["state"] = state
    schedulers = getattr(optimizer, "_fitorch_lr_schedulers", [])
    if schedulers:
        extras["lr_schedulers"] = [handle.scheduler.state_dict() for handle in schedulers]
    if extras and state_dict["param_groups"]:
        # state_dict() packs fresh group dicts, so this does not touch the live group.
        state_dict["param_groups"][0][EXTRAS_KEY] = extras
    return state_dict


def _take_extras(optimizer: torch.optim.Optimizer, state_dict: dict[str, Any]) -> dict[str, Any]:
    groups = [dict(group) for group in state_dict.get("param_groups", [])]
    extras = dict((groups[0].pop(EXTRAS_KEY, None) if groups else None) or {})
    state_dict["param_groups"] = groups
    tensors: dict[str, dict[int, torch.Tensor]] = {EMA_KEY: {}, ACCUMULATOR_KEY: {}}
    state = {}
    for index, entry in state_dict.get("state", {}).items():
        entry = dict(entry)
        for key, found in tensors.items():
            if key in entry:
                found[int(index)] = entry.pop(key)
        if entry:
            state[index] = entry
    state_dict["state"] = state
    extras["tensors"] = tensors
    optimizer._fitorch_pending_extras = extras
    return state_dict


@torch.no_grad()
def _restore_extras(optimizer: torch.optim.Optimizer) -> None:
    extras = optimizer.__dict__.pop("_fitorch_pending_extras", None) or {}
    if _is_fitorch(optimizer):
        optimizer._iterations = int(extras.get("iterations", 0))
        params = flat_params(optimizer)
        found = extras.get("tensors", {})

        def place(index: int, tensor: torch.Tensor) -> torch.Tensor:
            return tensor.detach().to(device=params[index].device, dtype=params[index].dtype).clone()

        emas = found.get(EMA_KEY, {})
        optimizer._ema = [place(i, emas[i]) for i in range(len(params))] if emas else None
        accumulated = found.get(ACCUMULATOR_KEY, {})
        optimizer._accumulators = (
            [place(i, accumulated[i]) if i in accumulated else None for i in range(len(params))]
            if accumulated
            else None
        )
    saved = extras.get("lr_schedulers", [])
    schedulers = getattr(optimizer, "_fitorch_lr_schedulers", [])
    if saved and len(saved) != len(schedulers):
        raise ValueError(
            f"The optimizer state holds {len(saved)} learning rate scheduler(s) but {len(schedulers)} "
            "are attached to this optimizer; attach the same schedulers before load_state_dict()."
        )
    for handle, scheduler_state in zip(schedulers, saved, strict=False):
        handle.scheduler.load_state_dict(scheduler_state)
