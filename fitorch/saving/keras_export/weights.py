"""A fitorch model's weights in Keras 3's two HDF5 layouts.

* The ``.keras``/``.weights.h5`` layout mirrors Keras' object tree: ``vars`` for the
  model, ``layers/<snake_case class name, numbered per class>/vars/<i>`` for each layer
  in Keras' ``model.layers`` order, and sub-layers under their Keras attribute names
  (``lstm/cell``, ``bidirectional/forward_layer/cell``, ``multi_head_attention/query_dense``).
  Every ``vars`` group carries the object's name as its ``name`` attribute.
* The legacy ``.h5`` layout: ``model_weights/<layer name>`` with a ``weight_names``
  attribute listing Keras variable paths (``lstm/lstm_cell/kernel``), each layer's
  trainable weights before its non-trainable ones, as Keras' legacy writer orders them.

Arrays come from ``get_weights()``, which is Keras' layout and Keras' order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from torch import nn

from fitorch.graph.node import module_name
from fitorch.layers.core.input_layer import InputLayer
from fitorch.layers.layer import Layer
from fitorch.models.functional import Functional
from fitorch.models.sequential import Sequential
from fitorch.saving.keras_export.config import (
    CHILD_LAYERS,
    EMPTY_CHILDREN,
    RNN_CELLS,
    keras_class_name,
    keras_layer_order,
)
from fitorch.utils.naming import to_snake_case

# fitorch's torch-style weight names -> Keras' variable names (per class where they differ).
_KERAS_NAMES = {"weight": "kernel", "bias": "bias", "depthwise_weight": "depthwise_kernel",
                "pointwise_weight": "pointwise_kernel", "weight_ih": "kernel", "weight_hh": "recurrent_kernel",
                "running_mean": "moving_mean", "running_var": "moving_variance"}  # fmt: skip
_CLASS_NAMES = {
    "Embedding": {"weight": "embeddings"},
    "BatchNormalization": {"weight": "gamma", "bias": "beta"},
    "LayerNormalization": {"weight": "gamma", "bias": "beta"},
    "GroupNormalization": {"weight": "gamma", "bias": "beta"},
    "PReLU": {"weight": "alpha"},
}


@dataclass
class VarGroup:
    """One Keras object's own variables: where they go and what Keras calls them."""

    path: str  # in the .keras layout, e.g. "layers/lstm/cell"
    name: str  # the object's name (the ``name`` attribute of its ``vars`` group)
    scope: str  # Keras' variable path prefix, e.g. "lstm/lstm_cell"
    arrays: list[np.ndarray] = field(default_factory=list)
    trainable: list[bool] = field(default_factory=list)
    variable_names: list[str] = field(default_factory=list)


def _join(*parts: str) -> str:
    return "/".join(p for p in parts if p)


def keras_save_names(layers: list[nn.Module]) -> list[str]:
    """The names Keras gives layers inside a weights file: snake_case class name, numbered per class."""
    used: dict[str, int] = {}
    names = []
    for layer in layers:
        base = "input_layer" if isinstance(layer, InputLayer) else to_snake_case(keras_class_name(layer))
        used[base] = used.get(base, -1) + 1
        names.append(base if used[base] == 0 else f"{base}_{used[base]}")
    return names


def container_layers(model: Functional) -> list[nn.Module]:
    """``model.layers`` as Keras lists them (a Sequential leaves out its InputLayer)."""
    return list(model.layers) if isinstance(model, Sequential) else keras_layer_order(model)


def _own_weights(layer: Layer, class_name: str) -> tuple[list[np.ndarray], list[bool], list[str]]:
    """The layer's own arrays (its sub-layers' excluded), their trainability and Keras variable names."""
    arrays = layer.get_weights()
    children = [getattr(layer, attr) for attr in CHILD_LAYERS.get(class_name, ())]
    count = len(arrays) - sum(len(child.get_weights()) for child in children)
    arrays = arrays[:count]
    tensors = layer.weights
    if type(layer).get_weights is Layer.get_weights and len(tensors) >= count:
        trainable = [bool(getattr(t, "requires_grad", False)) and isinstance(t, nn.Parameter) for t in tensors[:count]]
    else:  # a layout that is more than a permutation (a GRU's gates): all share the layer's trainability
        trainable = [layer.trainable] * count
    torch_names = list(layer._weight_names)
    if len(torch_names) == count:
        table = {**_KERAS_NAMES, **_CLASS_NAMES.get(class_name, {})}
        names = [table.get(n, n) for n in torch_names]
    elif class_name in RNN_CELLS:
        names = ["kernel", "recurrent_kernel", "bias"][:count]
    else:
        names = [f"variable_{i}" for i in range(count)]
    return arrays, trainable, names


def variable_groups(module: nn.Module, path: str = "", scope: str = "") -> list[VarGroup]:
    """Every Keras object under ``module`` with its own variables, in Keras' variable order."""
    name = module_name(module)
    if isinstance(module, Functional):
        groups = [VarGroup(path, name, scope)]
        layers = container_layers(module)
        # Keras builds a Sequential's layers inside its name scope ("sequential/dense/kernel"); a
        # functional model's layers are built where they are called, outside any model scope.
        inner_scope = _join(scope, name) if isinstance(module, Sequential) else ""
        for layer, save_name in zip(layers, keras_save_names(layers), strict=True):
            groups.extend(variable_groups(layer, _join(path, "layers", save_name), inner_scope))
        return groups
    class_name = keras_class_name(module)
    if isinstance(module, InputLayer):
        return [VarGroup(path, name, scope)]
    arrays, trainable, names = _own_weights(module, class_name)
    own_scope = _join(scope, name)
    if class_name in RNN_CELLS:  # Keras keeps a recurrent layer's weights in its cell
        cell = RNN_CELLS[class_name]
        return [VarGroup(path, name, own_scope),
                VarGroup(_join(path, "cell"), cell, _join(own_scope, cell), arrays, trainable, names)]  # fmt: skip
    groups = [VarGroup(path, name, own_scope, arrays, trainable, names)]
    for attr in CHILD_LAYERS.get(class_name, ()):
        groups.extend(variable_groups(getattr(module, attr), _join(path, attr), own_scope))
    for attr, default_name in EMPTY_CHILDREN.get(class_name, ()):
        groups.append(VarGroup(_join(path, attr), default_name, _join(own_scope, default_name)))
    return groups


def write_weights(handle: Any, model: Functional) -> None:
    """Writes ``model``'s weights into an open ``h5py.File`` in the ``.keras``/``.weights.h5`` layout."""
    for group in variable_groups(model):
        variables = handle.create_group(_join(group.path, "vars"))
        variables.attrs["name"] = group.name
        for index, array in enumerate(group.arrays):
            variables.create_dataset(str(index), data=np.asarray(array))


def _legacy_entries(layer: nn.Module, scope: str) -> list[tuple[str, np.ndarray]]:
    """``(Keras variable path, array)`` for one of ``model.layers``: trainable first, then the rest."""
    groups = variable_groups(layer, scope=scope)
    entries = [
        (_join(g.scope, n), a, t)
        for g in groups
        for n, a, t in zip(g.variable_names, g.arrays, g.trainable, strict=True)
    ]
    return [(n, a) for n, a, t in entries if t] + [(n, a) for n, a, t in entries if not t]


def legacy_order(layer: nn.Module, scope: str = "") -> list[int]:
    """Where each array of a legacy ``.h5`` layer group sits in ``layer.get_weights()``.

    Keras' legacy files list a layer's trainable weights before its non-trainable ones,
    which differs from ``get_weights()`` order for a nested model holding a
    ``BatchNormalization``, or a layer with a frozen sub-layer. A reader puts file
    array ``i`` at ``get_weights()[legacy_order(layer)[i]]``.
    """
    flags = [t for g in variable_groups(layer, scope=scope) for t in g.trainable]
    return [i for i, t in enumerate(flags) if t] + [i for i, t in enumerate(flags) if not t]


def _names_attribute(names: list[str]) -> list[bytes]:
    # A list, as Keras passes it: h5py stores it as variable-length strings (an empty one as float64).
    return [n.encode("utf8") for n in names]


def write_legacy_weights(group: Any, model: Functional, keras_version: str) -> None:
    """Fills the ``model_weights`` group of a legacy ``.h5`` file as Keras' ``save_weights_to_hdf5_group`` does."""
    layers = container_layers(model)
    group.attrs["layer_names"] = _names_attribute([module_name(layer) for layer in layers])
    group.attrs["backend"] = b"torch"
    group.attrs["keras_version"] = keras_version.encode("utf8")
    for layer in sorted(layers, key=module_name):
        layer_group = group.create_group(module_name(layer))
        entries = _legacy_entries(layer, module_name(model) if isinstance(model, Sequential) else "")
        layer_group.attrs["weight_names"] = _names_attribute([n for n, _ in entries])
        for path, array in entries:
            layer_group.create_dataset(path, data=np.asarray(array))
    group.create_group("top_level_model_weights").attrs["weight_names"] = _names_attribute([])
