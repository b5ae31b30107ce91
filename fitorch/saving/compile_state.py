"""The compile config (optimizer, losses, metrics, loss weights) and the optimizer state.

The config is plain JSON: names for strings, ``{"class_name", "config"}`` for
objects, ``{"function_name"}`` for functions, ``{"class_ref"}`` for classes and
``{"dict"}`` for per-output dicts. The optimizer's ``state_dict()`` is split into
its tensors (``optimizer.safetensors``, keyed ``state/<param>/<key>``) and the rest
(param groups and non-tensor state, as JSON in that file's metadata), with
parameters named by their ``state_dict`` names rather than positions. Restoring it
gives a resumed run the same optimizer, step counts and moments, bit for bit.
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Mapping
from typing import Any

import torch
from torch import nn

from fitorch import losses as losses_module
from fitorch import metrics as metrics_module
from fitorch.distributed.runtime import full_optimizer_state_dict, is_fully_sharded, load_full_optimizer_state_dict
from fitorch.optimizers import Optimizer
from fitorch.optimizers.registry import deferred
from fitorch.optimizers.state_extras import EXTRAS_KEY
from fitorch.saving import registry, safe_json
from fitorch.saving.errors import UnsafeModelError, quote
from fitorch.saving.serialization import check_json

_WRAPPERS = (losses_module.LossFunctionWrapper, metrics_module.MeanMetricWrapper)


class NotSerializable(TypeError):
    """A compile argument that cannot be stored by name (a lambda, a local function, a torch loss module)."""


# ====================================================================== compile config: saving
def _function_name(fn: Any, kind: str) -> str:
    name = registry.name_of(fn, "function") or registry.registered_name(fn)
    if name is not None:
        return name
    plain = getattr(fn, "__name__", None)
    if not isinstance(plain, str) or "<" in getattr(fn, "__qualname__", "<"):
        raise NotSerializable(f"the {kind} {fn!r} has no name to store (a lambda or a local function)")
    return plain  # resolved through custom_objects on load


def _encode_spec(spec: Any, kind: str) -> Any:
    if spec is None or isinstance(spec, (bool, int, float, str)):
        return spec
    if isinstance(spec, (list, tuple)):
        return [_encode_spec(s, kind) for s in spec]
    if isinstance(spec, dict):
        return {"dict": {str(k): _encode_spec(v, kind) for k, v in spec.items()}}
    if inspect.isclass(spec):
        name = registry.name_of(spec, kind)
        if name is None:
            name = spec.__name__
        return {"class_ref": name}
    if isinstance(spec, (losses_module.Loss, metrics_module.Metric)):
        cls = type(spec)
        name = registry.name_of(cls, kind) or registry.name_of(cls, "loss" if kind == "metric" else "metric")
        config = dict(spec.get_config())
        if isinstance(spec, _WRAPPERS) and "fn" in config:
            fn = spec.fn if isinstance(spec, losses_module.LossFunctionWrapper) else spec._fn
            config["fn"] = {"function_name": _function_name(fn, kind)}
        check_json(config, f"The {kind} {spec!r}")
        return {"class_name": name or cls.__name__, "config": config}
    if isinstance(spec, nn.Module):
        raise NotSerializable(f"the {kind} {spec!r} is a torch module, which has no config")
    if callable(spec):
        return {"function_name": _function_name(spec, kind)}
    raise NotSerializable(f"the {kind} {spec!r} cannot be stored")


def optimizer_config(optimizer: torch.optim.Optimizer) -> dict[str, Any]:
    """``{"class_name", "config"}`` for a fitorch optimizer, a deferred torch one, or a built torch one."""
    cls = type(optimizer)
    name = registry.name_of(cls, "optimizer")
    if isinstance(optimizer, Optimizer):
        config = optimizer.get_config()
        if name is None:  # a deferred(torch class): named after the torch class it wraps
            torch_class = next(
                (
                    base
                    for base in cls.__mro__[1:]
                    if issubclass(base, torch.optim.Optimizer) and base.__module__.startswith("torch.optim")
                ),
                None,
            )
            name = registry.name_of(torch_class, "optimizer") if torch_class is not None else None
    else:
        config = {k: list(v) if isinstance(v, tuple) else v for k, v in optimizer.defaults.items()}
    if name is None:
        name = registry.registered_name(cls) or cls.__name__
    config = {k: list(v) if isinstance(v, tuple) else v for k, v in config.items()}
    check_json(config, f"Optimizer {cls.__name__}")
    return {"class_name": name, "config": config}


def serialize_compile(model: Any) -> dict[str, Any] | None:
    """The compile config of ``model``, or ``None`` (uncompiled, or not storable: a warning says why)."""
    compiled = getattr(model, "_compile_config", None)
    if compiled is None:
        return None
    try:
        return {
            "optimizer": optimizer_config(model.optimizer) if model.optimizer is not None else None,
            "loss": _encode_spec(compiled.loss, "loss"),
            "metrics": _encode_spec(compiled.metrics, "metric"),
            "loss_weights": _encode_spec(compiled.loss_weights, "loss weight"),
            "weighted_metrics": _encode_spec(compiled.weighted_metrics, "metric"),
        }
    except (NotSerializable, TypeError) as error:
        warnings.warn(
            f"The model is saved without its compile config: {error}. Register the object with "
            "@fitorch.saving.register_serializable(), use a named function, or call compile() again after "
            "loading.",
            UserWarning,
            stacklevel=3,
        )
        return None


# ====================================================================== compile config: loading
def _decode_spec(value: Any, kind: str, custom_objects: Mapping[str, Any]) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_decode_spec(v, kind, custom_objects) for v in value]
    if not isinstance(value, dict):
        raise UnsafeModelError(f"Invalid {kind} in the compile config: {quote(value)}.")
    if set(value) == {"dict"} and isinstance(value["dict"], dict):
        return {k: _decode_spec(v, kind, custom_objects) for k, v in value["dict"].items()}
    if set(value) == {"function_name"}:
        return registry.resolve(
            value["function_name"], "function" if kind != "loss weight" else "function", custom_objects
        )
    if set(value) == {"class_ref"}:
        cls = registry.resolve(value["class_ref"], kind, custom_objects)
        if not inspect.isclass(cls):
            raise UnsafeModelError(f"The compile config names {quote(value['class_ref'])} as a class.")
        return cls
    if set(value) == {"class_name", "config"} and isinstance(value["config"], dict):
        cls = registry.resolve(value["class_name"], kind, custom_objects)
        if not inspect.isclass(cls):
            raise UnsafeModelError(f"The compile config names {quote(value['class_name'])} as a class.")
        config = dict(value["config"])
        if isinstance(config.get("fn"), dict):
            config["fn"] = _decode_spec(config["fn"], kind, custom_objects)
        return cls.from_config(config)
    raise UnsafeModelError(f"Invalid {kind} in the compile config: {quote(value)}.")


def make_optimizer(config: Any, custom_objects: Mapping[str, Any]) -> torch.optim.Optimizer:
    """An unbuilt optimizer from ``{"class_name", "config"}``."""
    if (
        not isinstance(config, dict)
        or set(config) != {"class_name", "config"}
        or not isinstance(config["config"], dict)
    ):
        raise UnsafeModelError(f"Invalid optimizer in the compile config: {quote(config)}.")
    cls = registry.resolve(config["class_name"], "optimizer", custom_objects)
    if not issubclass(cls, Optimizer):
        cls = deferred(cls)
    return cls(**config["config"])


def restore_compile(model: Any, config: Any, custom_objects: Mapping[str, Any]) -> None:
    """Calls ``model.compile`` with the stored optimizer, losses, metrics and loss weights."""
    keys = {"optimizer", "loss", "metrics", "loss_weights", "weighted_metrics"}
    if not isinstance(config, dict) or not set(config) <= keys:
        raise UnsafeModelError(f"Invalid compile config: {quote(config)}.")
    optimizer = make_optimizer(config["optimizer"], custom_objects) if config.get("optimizer") else "rmsprop"
    loss_weights = config.get("loss_weights")
    if isinstance(loss_weights, dict) and set(loss_weights) == {"dict"}:
        loss_weights = loss_weights["dict"]
    model.compile(
        optimizer=optimizer,
        loss=_decode_spec(config.get("loss"), "loss", custom_objects),
        metrics=_decode_spec(config.get("metrics"), "metric", custom_objects),
        loss_weights=loss_weights,
        weighted_metrics=_decode_spec(config.get("weighted_metrics"), "metric", custom_objects),
    )


# ====================================================================== optimizer state
def _parameter_names(model: nn.Module, optimizer: torch.optim.Optimizer) -> list[str]:
    """The model's name for each parameter of the optimizer, in the optimizer's order."""
    names: dict[int, str] = {}
    for name, parameter in model.named_parameters(remove_duplicate=False):
        names.setdefault(id(parameter), name)
    order: list[str] = []
    for group in optimizer.param_groups:
        for parameter in group["params"]:
            if id(parameter) not in names:
                raise ValueError(
                    "The optimizer holds a parameter that is not one of the model's, so its state cannot be saved "
                    "with the model."
                )
            order.append(names[id(parameter)])
    return order


def optimizer_state(
    model: nn.Module, optimizer: torch.optim.Optimizer
) -> tuple[dict[str, torch.Tensor], dict[str, str]] | None:
    """The optimizer's state as ``(tensors, metadata)`` for a safetensors file; ``None`` if not built.

    Raises:
        ValueError: if the optimizer holds parameters that are not the model's.
    """
    if getattr(optimizer, "built", True) is False or not optimizer.param_groups:
        return None
    if is_fully_sharded(model):  # gathered whole on rank 0, already keyed by parameter name
        state_dict = full_optimizer_state_dict(model, optimizer)
        if not state_dict:
            return None  # a rank other than 0: nothing to write
        order: Any = {name: name for group in state_dict["param_groups"] for name in group["params"]}
    else:
        order = _parameter_names(model, optimizer)
        state_dict = optimizer.state_dict()
    tensors: dict[str, torch.Tensor] = {}
    groups = []
    for index, group in enumerate(state_dict["param_groups"]):
        stored: dict[str, Any] = {"params": [order[i] for i in group["params"]]}
        for key, value in group.items():
            if key == "params":
                continue
            if isinstance(value, torch.Tensor):
                tensors[f"param_groups/{index}/{key}"] = value
            else:
                stored[key] = list(value) if isinstance(value, tuple) else value
        groups.append(stored)
    plain_state: dict[str, dict[str, Any]] = {}
    for index, state in state_dict["state"].items():
        for key, value in state.items():
            if isinstance(value, torch.Tensor):
                tensors[f"state/{order[index]}/{key}"] = value
            else:
                plain_state.setdefault(order[index], {})[key] = value
    meta = {"param_groups": groups, "state": plain_state}
    check_json(meta, "The optimizer state")
    return tensors, {"format": "pt", "fitorch": "optimizer", "optimizer": safe_json.dumps(meta).decode("utf-8")}


def restore_optimizer_state(
    model: nn.Module, optimizer: torch.optim.Optimizer, tensors: Mapping[str, torch.Tensor], metadata: Mapping[str, str]
) -> None:
    """Builds ``optimizer`` on the model's parameters named in the file and loads its state.

    Raises:
        UnsafeModelError: when the stored state does not fit the model's parameters.
    """
    meta = safe_json.loads(metadata.get("optimizer", "").encode("utf-8"), "optimizer state")
    if not isinstance(meta, dict) or set(meta) != {"param_groups", "state"}:
        raise UnsafeModelError("optimizer.safetensors: invalid optimizer metadata.")
    parameters = dict(model.named_parameters(remove_duplicate=False))
    groups, stored_groups, order = [], [], []
    if not isinstance(meta["param_groups"], list) or not isinstance(meta["state"], dict):
        raise UnsafeModelError("optimizer.safetensors: invalid optimizer metadata.")
    for index, group in enumerate(meta["param_groups"]):
        if not isinstance(group, dict) or not isinstance(group.get("params"), list):
            raise UnsafeModelError("optimizer.safetensors: invalid param group.")
        missing = [n for n in group["params"] if not isinstance(n, str) or n not in parameters]
        if missing:
            raise UnsafeModelError(f"optimizer.safetensors: parameters {quote(missing)} are not in the model.")
        stored = {k: v for k, v in group.items() if k != "params"}
        for key, tensor in tensors.items():
            if key.startswith(f"param_groups/{index}/"):
                stored[key.rsplit("/", 1)[1]] = tensor
        stored["params"] = list(range(len(order), len(order) + len(group["params"])))
        order.extend(group["params"])
        groups.append({"params": [parameters[n] for n in group["params"]]})
        stored_groups.append(stored)
    if len(set(order)) != len(order):
        raise UnsafeModelError("optimizer.safetensors: a parameter appears twice.")
    position = {name: i for i, name in enumerate(order)}
    state: dict[int, dict[str, Any]] = {}
    for name, values in meta["state"].items():
        if name not in position or not isinstance(values, dict):
            raise UnsafeModelError(f"optimizer.safetensors: state for unknown parameter {quote(name)}.")
        state.setdefault(position[name], {}).update(values)
    for key, tensor in tensors.items():
        if key.startswith("param_groups/"):
            continue
        parts = key.split("/")
        if len(parts) != 3 or parts[0] != "state" or parts[1] not in position:
            raise UnsafeModelError(f"optimizer.safetensors: unexpected tensor {quote(key)}.")
        parameter = parameters[parts[1]]
        # A scalar or the parameter's shape; Adafactor's factored moments have that shape with some sizes 1.
        factored = parts[2] in _FACTORED_STATE_KEYS and tensor.ndim == parameter.ndim
        if tensor.ndim and (
            any(n not in (1, m) for n, m in zip(tensor.shape, parameter.shape, strict=True))
            if factored
            else tuple(tensor.shape) != tuple(parameter.shape)
        ):
            raise UnsafeModelError(
                f"optimizer.safetensors: {parts[2]} of {parts[1]}: expected {tuple(parameter.shape)} got {tuple(tensor.shape)}."
            )
        state.setdefault(position[parts[1]], {})[parts[2]] = tensor.clone()
    if isinstance(optimizer, Optimizer) and not optimizer.built:
        optimizer.build(groups)
    for index, stored in enumerate(stored_groups):
        if index < len(optimizer.param_groups):
            check_param_group(stored, optimizer.param_groups[index], type(optimizer), index)
    if is_fully_sharded(model):  # FSDP takes the full state keyed by name and keeps its shards
        by_name = {order[index]: values for index, values in state.items()}
        named_groups = [{**g, "params": [order[i] for i in g["params"]]} for g in stored_groups]
        load_full_optimizer_state_dict(model, optimizer, {"state": by_name, "param_groups": named_groups})
        return
    optimizer.load_state_dict({"state": state, "param_groups": stored_groups})


# torch.optim.Adafactor's row and column moments: the parameter's shape with the last or second-last size 1.
_FACTORED_STATE_KEYS = frozenset({"row_var", "col_var"})
# Group entries that choose the kernel, not the algorithm: kept as saved (a resume is then bit for bit).
_IMPLEMENTATION_KEYS = frozenset({"foreach", "fused", "capturable", "differentiable"})
# Rates that training itself changes (schedules, ReduceLROnPlateau; SGD's rate its momentum is scaled for).
_LEARNING_RATE_KEYS = frozenset({"lr", "initial_lr", "momentum_lr"})
# Entries added during training: by torch's schedulers, fitorch's SGD, and fitorch's extras (step counter).
_EXTRA_KEYS = frozenset({"initial_lr", "momentum_lr", EXTRAS_KEY})


def check_param_group(stored: dict[str, Any], fresh: dict[str, Any], cls: type, index: int) -> None:
    """Validates one param group from ``optimizer.safetensors`` against the optimizer the compile config built.

    The compile config chooses the algorithm; the state file only carries what training
    changes. So the group must have the fresh group's entries (and no others but those
    training adds); switches (``maximize``, ``nesterov``, ``amsgrad``...) must equal the
    compile config's; learning rates must be finite numbers >= 0; the other numbers
    must have the fresh value's type and pass the torch class's own argument checks;
    the kernel choice (``fused``, ``foreach``...) must be a bool or ``None``.

    Raises:
        UnsafeModelError: naming the group, the entry, the file's value and the expected one.
    """
    where = f"optimizer.safetensors: param group {index}"
    keys = set(stored) - {"params"}
    expected = set(fresh) - {"params"}
    if not expected <= keys or not keys - expected <= _EXTRA_KEYS:
        raise UnsafeModelError(
            f"{where} has entries {quote(sorted(keys))}; the {cls.__name__} built from the compile config has "
            f"{quote(sorted(expected))}."
        )
    numbers: dict[str, Any] = {}
    for key in sorted(keys - {EXTRAS_KEY}):
        value, reference = stored[key], fresh.get(key, 0.0)
        if key in _IMPLEMENTATION_KEYS:
            if value is not None and not isinstance(value, bool):
                raise UnsafeModelError(f"{where}: {key} must be true, false or null; the file has {quote(value)}.")
        elif key in _LEARNING_RATE_KEYS:
            if isinstance(value, torch.Tensor) and value.numel() == 1:
                value = value.item()
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise UnsafeModelError(f"{where}: {key} must be a finite number >= 0; the file has {quote(value)}.")
        elif isinstance(reference, bool) or reference is None or isinstance(reference, str):
            if value != reference or type(value) is not type(reference):
                raise UnsafeModelError(
                    f"{where}: {key} is {quote(value)} in the file but {quote(reference)} in the compile config; "
                    "the optimizer state cannot change how the optimizer works."
                )
        elif not _same_kind_of_number(value, reference):
            raise UnsafeModelError(
                f"{where}: {key} must be {_describe_number(reference)} like the compile config's {quote(reference)}; "
                f"the file has {quote(value)}."
            )
        else:
            numbers[key] = value
    _check_with_torch(cls, numbers, where)


def _same_kind_of_number(value: Any, reference: Any) -> bool:
    if isinstance(reference, torch.Tensor):
        return isinstance(value, torch.Tensor) and value.shape == reference.shape and bool(value.isfinite().all())
    if isinstance(reference, (list, tuple)):
        return (
            isinstance(value, (list, tuple))
            and len(value) == len(reference)
            and all(_same_kind_of_number(v, r) for v, r in zip(value, reference, strict=True))
        )
    if isinstance(reference, (int, float)):
        return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)
    return False


def _describe_number(reference: Any) -> str:
    if isinstance(reference, (list, tuple)):
        return f"a list of {len(reference)} finite numbers"
    return "a finite number" if not isinstance(reference, torch.Tensor) else "a finite tensor"


def _check_with_torch(cls: type, numbers: dict[str, Any], where: str) -> None:
    """Runs the torch optimizer class's own argument checks on the file's numbers (on a throwaway parameter)."""
    torch_class = next(
        (b for b in cls.__mro__ if b.__module__.startswith("torch.optim") and b is not torch.optim.Optimizer), None
    )  # fitorch's own algorithms (Lion, Lamb, Ftrl) have no torch class to check with
    if torch_class is None or not numbers:
        return
    accepted = inspect.signature(torch_class.__init__).parameters
    arguments = {k: tuple(v) if isinstance(v, list) else v for k, v in numbers.items() if k in accepted}
    try:
        torch_class([torch.zeros(1, requires_grad=True)], **arguments)
    except (ValueError, TypeError) as error:
        raise UnsafeModelError(f"{where}: {error}") from None
