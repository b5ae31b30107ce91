"""``clone_model``: the same architecture with new layers and fresh weights, as Keras' ``clone_model``.

A functional model is cloned by replaying its graph: each layer is cloned once
(``clone_function``, by default a config round trip through the saving registry),
and each call is made again on the new symbolic tensors, so shared layers stay
shared. A ``Sequential`` becomes a new ``Sequential`` of cloned layers.

Example:
    >>> import torch, fitorch
    >>> from fitorch import layers
    >>> inputs = layers.Input(shape=(3,))
    >>> model = fitorch.Model(inputs, layers.Dense(2, name="out")(inputs))
    >>> clone = fitorch.models.clone_model(model)
    >>> clone.get_layer("out") is model.get_layer("out")
    False
    >>> clone.set_weights(model.get_weights())
    >>> x = torch.ones(1, 3)
    >>> torch.equal(clone(x), model(x))
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import nn

from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.layers.core.input_layer import Input, InputLayer
from fitorch.models.functional import Functional
from fitorch.models.sequential import Sequential
from fitorch.utils.tree import flatten, map_structure


def clone_layer(layer: nn.Module) -> nn.Module:
    """A new, unbuilt layer with ``layer``'s config (Keras' default ``clone_function``).

    The config goes through the same serializer as ``model.save``, so nested models
    and wrappers (``Bidirectional``, ``TimeDistributed`` ...) are cloned whole.

    Raises:
        TypeError: for a module fitorch cannot rebuild from a config (a plain ``nn.Module``,
            a ``Lambda``); pass ``clone_function`` to clone those yourself.
    """
    from fitorch.distributed.runtime import original_class
    from fitorch.saving.serialization import Deserializer, serialize_module

    entry = serialize_module(layer)
    # The layer's own class and activation functions, even when not registered: the caller already holds them.
    known: dict[str, Any] = {entry["class_name"]: original_class(layer)}
    for module in layer.modules():
        for key, value in vars(module).items():
            if key.endswith("activation") and callable(value) and isinstance(getattr(value, "__name__", None), str):
                known.setdefault(value.__name__, value)
    rebuilder = Deserializer(known)
    return rebuilder.module(entry, f"clone_model: layer {getattr(layer, 'name', type(layer).__name__)!r}")


def _new_inputs(model: Functional, input_tensors: Any) -> list[SymbolicTensor]:
    """The clone's input tensors: ``input_tensors`` (one per model input) or new ``Input``s like the model's."""
    originals = model.inputs
    if input_tensors is None:
        return [
            Input(shape=t.layer.shape, batch_size=t.layer.batch_size, dtype=t.layer.input_dtype, name=t.layer.name)
            for t in originals
        ]
    given = flatten(input_tensors)
    if len(given) != len(originals):
        raise ValueError(
            f"clone_model: model {model.name!r} has {len(originals)} inputs; input_tensors has {len(given)}."
        )
    bad = [type(t).__name__ for t in given if not isinstance(t, SymbolicTensor)]
    if bad:
        raise TypeError(f"clone_model: input_tensors must be symbolic tensors from layers.Input; received {bad[0]}.")
    return given


def _clone_functional(
    model: Functional,
    input_tensors: Any,
    clone_function: Callable[[nn.Module], nn.Module],
    call_function: Callable[..., Any] | None,
) -> Functional:
    new_inputs = _new_inputs(model, input_tensors)
    tensors: dict[int, SymbolicTensor] = {id(old): new for old, new in zip(model.inputs, new_inputs, strict=True)}
    clones: dict[int, nn.Module] = {}
    for node in model._topological_nodes():
        layer = node.module
        if not node.input_tensors and isinstance(layer, InputLayer):
            continue  # a model input: already mapped
        if id(layer) not in clones:  # a shared layer is cloned once and called again
            clones[id(layer)] = clone_function(layer)
            if not isinstance(clones[id(layer)], nn.Module):
                raise TypeError(
                    f"clone_model: clone_function must return a layer; for {getattr(layer, 'name', layer)!r} "
                    f"it returned {type(clones[id(layer)]).__name__}."
                )
        new_layer = clones[id(layer)]
        args, kwargs = map_structure(
            lambda v: tensors[id(v)] if isinstance(v, SymbolicTensor) else v, (list(node.args), node.kwargs)
        )
        outputs = call_function(new_layer, *args, **kwargs) if call_function else new_layer(*args, **kwargs)
        for old, new in zip(node.output_tensors, flatten(outputs), strict=True):
            tensors[id(old)] = new

    def mapped(structure: Any) -> Any:
        return map_structure(lambda v: tensors[id(v)] if isinstance(v, SymbolicTensor) else v, structure)

    inputs = mapped(model._inputs_structure) if input_tensors is None else input_tensors
    return Functional(inputs, mapped(model._outputs_structure), name=model.name)


def _clone_sequential(
    model: Sequential, input_tensors: Any, clone_function: Callable[[nn.Module], nn.Module]
) -> Sequential:
    layers: list[Any] = []
    if input_tensors is not None:
        given = flatten(input_tensors)
        if len(given) != 1 or not isinstance(given[0], SymbolicTensor):
            raise ValueError("clone_model: a Sequential model takes one input tensor in input_tensors.")
        layers.append(given[0])
    elif model.built and model._input_tensor is not None:
        layers.extend(_new_inputs(model, None))
    layers.extend(clone_function(layer) for layer in model.layers)
    return Sequential(layers, name=model.name)


def clone_model(
    model: nn.Module,
    input_tensors: Any = None,
    clone_function: Callable[[nn.Module], nn.Module] | None = None,
    call_function: Callable[..., Any] | None = None,
    recursive: bool = False,
    **kwargs: Any,
) -> nn.Module:
    """Clones a functional or ``Sequential`` model: new layers, fresh weights, the same architecture.

    The clone's layers keep their names and configs; the weights are newly
    initialized, not copied (use ``clone.set_weights(model.get_weights())`` to copy them).

    Args:
        model: a functional model (``Model(inputs, outputs)``) or a ``Sequential``.
        input_tensors: optional symbolic tensor(s) to build the clone on, one per model input.
        clone_function: called on each layer to make its clone; default: a new layer from
            the layer's config. Return the layer itself to share it (and its weights).
        call_function: optional ``call_function(layer, *args, **kwargs)`` to call each cloned
            layer in a functional model, e.g. to insert extra layers.
        recursive: also clone the layers inside nested functional/``Sequential`` models with
            ``clone_function`` (otherwise a nested model is cloned whole by ``clone_function``).
        **kwargs: accepted for Keras compatibility; none is used.

    Returns:
        The new model.

    Raises:
        TypeError: for a subclassed model (clone those by constructing them again), or a
            ``clone_function`` that does not return a layer.
        ValueError: for ``input_tensors`` that do not match the model's inputs.
    """
    if kwargs:
        raise TypeError(f"clone_model: unexpected arguments {sorted(kwargs)}.")
    if not isinstance(model, Functional):
        raise TypeError(
            f"clone_model: expected a functional or Sequential model; received {type(model).__name__}. "
            "A subclassed model is cloned by constructing it again: MyModel(**args)."
        )
    if clone_function is not None and not callable(clone_function):
        raise TypeError(f"clone_model: clone_function must be callable; received {clone_function!r}.")
    base = clone_function or clone_layer
    if recursive:

        def cloner(layer: nn.Module) -> nn.Module:
            if isinstance(layer, Functional) and layer.built:
                return clone_model(layer, clone_function=clone_function, call_function=call_function, recursive=True)
            return base(layer)

    else:
        cloner = base
    if isinstance(model, Sequential):
        return _clone_sequential(model, input_tensors, cloner)
    if not model.built:
        raise ValueError(f"clone_model: model {model.name!r} is not built yet.")
    return _clone_functional(model, input_tensors, cloner, call_function)
