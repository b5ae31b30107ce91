"""``torch_export``: a model as a ``torch.export.ExportedProgram`` with a dynamic batch dimension."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import torch
from torch import nn

from fitorch.utils.tree import flatten, map_structure

#: Batch size of the example built from a functional model's inputs (2: torch.export specializes 0 and 1).
EXAMPLE_BATCH = 2


def example_inputs(model: nn.Module, example: Any = None) -> tuple[Any, ...]:
    """The positional arguments to trace ``model`` with.

    ``example`` may be a tensor, a NumPy array, or a list/dict/tuple of them (a
    tuple means several positional arguments). Without one, a functional model's
    ``Input`` shapes and dtypes give zeros with a batch of 2; other models need ``example``.

    Raises:
        ValueError: when no example is given and none can be derived.
    """
    if example is None:
        inputs = getattr(model, "_inputs_structure", None)
        if inputs is None:
            raise ValueError(
                f"Exporting {type(model).__name__}: pass example=, a batch of inputs (e.g. a tensor of shape "
                "(2, ...)); only functional and Sequential models know their input shapes."
            )
        unknown = [t for t in flatten(inputs) if any(d is None for d in t.shape[1:])]
        if unknown:
            raise ValueError(
                f"Exporting {getattr(model, 'name', '')!r}: input {unknown[0]} has unknown sizes besides the batch "
                "axis; pass example= with real sizes."
            )
        example = map_structure(lambda t: torch.zeros((EXAMPLE_BATCH, *t.shape[1:]), dtype=t.dtype), inputs)
    device = next((p.device for p in model.parameters()), torch.device("cpu"))
    example = map_structure(
        lambda v: torch.as_tensor(np.asarray(v) if not isinstance(v, torch.Tensor) else v).to(device), example
    )
    return example if isinstance(example, tuple) else (example,)


def _batch_dynamic(args: tuple[Any, ...], model: nn.Module) -> dict[str, Any]:
    """``dynamic_shapes`` marking axis 0 of every tensor as the shared dynamic ``batch`` dimension."""
    batch = torch.export.Dim("batch", min=1)
    spec = map_structure(lambda t: {0: batch} if isinstance(t, torch.Tensor) and t.ndim else None, list(args))
    parameters = list(inspect.signature(model.forward).parameters.values())
    if parameters and parameters[0].kind is inspect.Parameter.VAR_POSITIONAL:
        return {parameters[0].name: tuple(spec)}
    return {p.name: s for p, s in zip(parameters, spec, strict=False)}


def torch_export(model: nn.Module, example: Any = None) -> torch.export.ExportedProgram:
    """Exports ``model`` (in inference mode) with ``torch.export``; the batch dimension stays dynamic.

    Args:
        model: any fitorch model or ``nn.Module``.
        example: example inputs; optional for functional and Sequential models.

    Returns:
        A ``torch.export.ExportedProgram``; ``program.module()(x)`` runs it.

    Example:
        >>> import torch, fitorch
        >>> from fitorch import layers
        >>> inputs = layers.Input(shape=(3,))
        >>> model = fitorch.Model(inputs, layers.Dense(2)(inputs))
        >>> program = torch_export(model)
        >>> program.module()(torch.ones(5, 3)).shape
        torch.Size([5, 2])
    """
    args = example_inputs(model, example)
    was_training = model.training
    model.eval()
    try:
        return torch.export.export(model, args, dynamic_shapes=_batch_dynamic(args, model))
    finally:
        model.train(was_training)
