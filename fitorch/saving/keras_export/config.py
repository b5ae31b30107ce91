"""A fitorch model's architecture as a Keras 3 config, or the reason it has none.

fitorch layers carry Keras' class names and Keras' ``get_config`` argument names,
so a layer's config passes through with three changes: fitorch-only arguments are
dropped when they hold their defaults (and refused otherwise), initializers,
regularizers, constraints, dtypes and wrapped layers get Keras' object wrappers
(``{"module", "class_name", "config", "registered_name"}``), and the functional
graph is written as Keras' ``inbound_nodes`` with ``__keras_tensor__`` references.

Layers are listed in the order Keras itself will give them once it rebuilds the
model (:func:`keras_layer_order` reproduces ``keras.src.ops.function.map_graph``),
because Keras names the weight groups of a ``.keras`` file, and matches the layers
of a legacy ``.h5`` file, by that order.
"""

from __future__ import annotations

import inspect
from typing import Any

from torch import nn

from fitorch import config as fitorch_config
from fitorch import layers as fitorch_layers
from fitorch.distributed.runtime import original_class
from fitorch.graph.node import Node, inbound_nodes, module_name
from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.layers.core.input_layer import InputLayer
from fitorch.models.functional import Functional
from fitorch.models.model import Model
from fitorch.models.sequential import Sequential
from fitorch.saving.serialization import check_json

SUGGESTION = "Save it as a fitorch file instead: model.save('model.fitorch') (fitorch.load_model reads it back)."

#: Recurrent layers whose weights Keras keeps in a ``cell`` sub-layer, and that cell's default name.
RNN_CELLS = {
    "SimpleRNN": "simple_rnn_cell", "LSTM": "lstm_cell", "GRU": "gru_cell", "ConvLSTM1D": "conv_lstm_cell",
    "ConvLSTM2D": "conv_lstm_cell", "ConvLSTM3D": "conv_lstm_cell",
}  # fmt: skip
#: Layers whose weights Keras keeps in sub-layers, under these attribute names (fitorch uses the same ones).
CHILD_LAYERS = {
    "Bidirectional": ("forward_layer", "backward_layer"),
    "TimeDistributed": ("layer",),
    "MultiHeadAttention": ("query_dense", "key_dense", "value_dense", "output_dense"),
}
#: Weightless sub-layers Keras also writes a (empty) group for: attribute and default name.
EMPTY_CHILDREN = {"MultiHeadAttention": (("_dropout_layer", "dropout"), ("_softmax", "softmax"))}
#: Layers whose whole state is their own variables (or none), in get_weights() order.
PLAIN_LAYERS = frozenset({
    # core
    "Dense", "EinsumDense", "Embedding", "Identity", "Masking",
    # convolutional
    "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv1D",
    "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
    # pooling
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D",
    "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    # normalization
    "BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
    # attention
    "Attention", "AdditiveAttention",
    # activations
    "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax",
    # regularization
    "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout", "GaussianNoise",
    "AlphaDropout", "ActivityRegularization",
    # reshaping
    "Flatten", "Reshape", "Permute", "RepeatVector", "Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D",
    "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
    # merging
    "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
    # preprocessing
    "Rescaling", "Resizing", "CenterCrop",
})  # fmt: skip
SUPPORTED_LAYERS = PLAIN_LAYERS | set(RNN_CELLS) | set(CHILD_LAYERS)

# Arguments fitorch's layer takes and Keras' does not: dropped at their defaults, refused otherwise.
_FITORCH_ONLY = {
    "SimpleRNN": ("use_cudnn",), "LSTM": ("use_cudnn",), "GRU": ("use_cudnn",), "ConvLSTM1D": ("use_cudnn",),
    "ConvLSTM2D": ("use_cudnn",), "ConvLSTM3D": ("use_cudnn",), "Cropping1D": ("data_format",),
    "LayerNormalization": ("rms_scaling",), "UpSampling1D": ("data_format", "interpolation"),
    "UpSampling3D": ("interpolation",),
}  # fmt: skip
# Keras' SpatialDropout layers take no ``trainable`` argument (they have no weights, so it means nothing).
_NOT_IN_KERAS = {"SpatialDropout1D": ("trainable",), "SpatialDropout2D": ("trainable",),
                 "SpatialDropout3D": ("trainable",)}  # fmt: skip
_OBJECT_MODULES = {"_initializer": "keras.initializers", "_regularizer": "keras.regularizers",
                   "_constraint": "keras.constraints"}  # fmt: skip
_WRAPPED_LAYER_KEYS = ("layer", "backward_layer")
_KERAS_ACTIVATIONS = frozenset({
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
    "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu",
    "sigmoid", "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid",
    "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink", "threshold",
})  # fmt: skip


class KerasExportError(ValueError):
    """A model that has no Keras file form; the message names the layer and suggests ``.fitorch``."""


def _refuse(where: str, reason: str) -> KerasExportError:
    return KerasExportError(f"{where} cannot be written as a Keras file: {reason}. {SUGGESTION}")


def _where(module: nn.Module) -> str:
    return f"Layer {module_name(module)!r} ({type(module).__name__})"


def keras_class_name(module: nn.Module) -> str:
    """The Keras class a fitorch layer is written as; ``KerasExportError`` when there is none."""
    cls = original_class(module)
    if cls in (Functional, Sequential, InputLayer):
        return cls.__name__
    name = cls.__name__
    if getattr(fitorch_layers, name, None) is cls and name in SUPPORTED_LAYERS:
        return name
    where = _where(module)
    if name == "Lambda" and getattr(fitorch_layers, name, None) is cls:
        raise _refuse(where, "a Lambda holds Python code, which a Keras file can only store as unsafe bytecode")
    if name in ("WrappedModule", "TorchModule"):
        inner = original_class(module.module)
        raise _refuse(where, f"it wraps a plain PyTorch module ({inner.__module__}.{inner.__qualname__}), which has "
                      "no Keras counterpart")  # fmt: skip
    if isinstance(module, Model):
        model_entry(module)  # a subclassed or wrapped model: raises its own reason
    if not isinstance(module, fitorch_layers.Layer):
        raise _refuse(where, f"it is a plain PyTorch module ({cls.__module__}.{cls.__qualname__}), and Keras "
                      "rebuilds only its own layer classes")  # fmt: skip
    if getattr(fitorch_layers, name, None) is cls:
        raise _refuse(where, f"fitorch's Keras writer does not cover the {name} layer (it writes {len(SUPPORTED_LAYERS)} "
                      "layer classes, listed in fitorch.saving.keras_export.config.SUPPORTED_LAYERS)")  # fmt: skip
    raise _refuse(where, f"{cls.__qualname__} is a custom layer class, which Keras could not rebuild")


# ====================================================================== layer configs
def _keras_object(module: str, value: Any) -> Any:
    """fitorch's ``{"class_name", "config"}`` as Keras' wrapped object; strings and ``None`` stay as they are."""
    if isinstance(value, dict) and set(value) >= {"class_name"}:
        return {"module": module, "class_name": value["class_name"], "config": value.get("config") or {},
                "registered_name": None}  # fmt: skip
    return value


def dtype_policy(name: str | None) -> dict[str, Any]:
    """Keras' serialized ``DTypePolicy`` for a dtype name (``floatx()`` when ``None``)."""
    name = name or fitorch_config.floatx()
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": name}, "registered_name": None}


def _default(cls: type, argument: str) -> Any:
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is not None:
            parameter = inspect.signature(init).parameters.get(argument)
            if parameter is not None:
                return parameter.default
    return inspect.Parameter.empty


def layer_config(module: nn.Module, where: str | None = None) -> dict[str, Any]:
    """A supported fitorch layer's ``get_config()`` in Keras' form (see the module docstring)."""
    where = where or _where(module)
    class_name = keras_class_name(module)
    config = dict(module.get_config())
    check_json(config, where)
    for argument in _FITORCH_ONLY.get(class_name, ()):
        if argument in config:
            value = config.pop(argument)
            if value != _default(type(module), argument):
                raise _refuse(where, f"its argument {argument}={value!r} has no Keras equivalent")
    for argument in _NOT_IN_KERAS.get(class_name, ()):
        config.pop(argument, None)
    for key, value in list(config.items()):
        if key in _WRAPPED_LAYER_KEYS and isinstance(value, dict):
            inner = getattr(module, "forward_layer" if key == "layer" and class_name == "Bidirectional" else key)
            config[key] = {"module": "keras.layers", "class_name": keras_class_name(inner),
                           "config": layer_config(inner, f"{where}'s {key}"), "registered_name": None}  # fmt: skip
        elif key == "activation" and value is not None and value not in _KERAS_ACTIVATIONS:
            raise _refuse(where, f"its activation {value!r} is not one of Keras' built-in activations")
        else:
            suffix = next((s for s in _OBJECT_MODULES if key.endswith(s)), None)
            if suffix is not None:
                config[key] = _keras_object(_OBJECT_MODULES[suffix], value)
    config["dtype"] = dtype_policy(config.get("dtype") if isinstance(config.get("dtype"), str) else None)
    return config


def _input_layer_config(layer: InputLayer) -> dict[str, Any]:
    return {
        "batch_shape": [layer.batch_size, *layer.shape],
        "dtype": str(layer.input_dtype).removeprefix("torch."),
        "sparse": False,
        "ragged": False,
        "name": layer.name,
        "optional": False,
    }


def _entry(module: nn.Module) -> dict[str, Any]:
    """``{"module", "class_name", "config", "registered_name"}`` for a layer or nested model."""
    if isinstance(module, InputLayer):
        return {"module": "keras.layers", "class_name": "InputLayer", "config": _input_layer_config(module),
                "registered_name": None}  # fmt: skip
    class_name = keras_class_name(module)
    if class_name in ("Functional", "Sequential"):
        return model_entry(module)
    return {"module": "keras.layers", "class_name": class_name, "config": layer_config(module),
            "registered_name": None}  # fmt: skip


# ====================================================================== the functional graph
def _keras_flatten(structure: Any) -> list[Any]:
    """Leaves in Keras' order (``keras.tree.flatten`` sorts dict keys)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in _keras_flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for value in structure for leaf in _keras_flatten(value)]
    return [structure]


def _graph_nodes(model: Functional) -> tuple[list[Node], dict[int, int]]:
    """Keras' ``_build_map``: nodes from inputs to outputs (DFS post-order) and each layer's first-visit index."""
    ordered: list[Node] = []
    finished: set[int] = set()
    first_visit: dict[int, int] = {}
    for output in _keras_flatten(model._outputs_structure):
        stack: list[tuple[Node, bool]] = [(output.node, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                finished.add(id(node))
                ordered.append(node)
                continue
            if id(node) in finished:
                continue
            first_visit.setdefault(id(node.module), len(first_visit))
            stack.append((node, True))
            stack.extend((tensor.node, False) for tensor in reversed(node.input_tensors))
    return ordered, first_visit


def keras_layer_order(model: Functional) -> list[nn.Module]:
    """``model.layers`` as Keras orders them after rebuilding the model (``map_graph``: by depth, then DFS order)."""
    ordered, first_visit = _graph_nodes(model)
    in_graph = {id(n) for n in ordered}
    node_depth: dict[int, int] = {}
    layer_depth: dict[int, int] = {}
    modules: dict[int, nn.Module] = {}
    for node in reversed(ordered):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.module), 0))
        layer_depth[id(node.module)] = node_depth[id(node)] = depth
        modules[id(node.module)] = node.module
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for tensor in _keras_flatten(model._inputs_structure):  # inputs the outputs do not use
        layer = tensor.node.module
        if id(layer) not in layer_depth:
            layer_depth[id(layer)], first_visit[id(layer)], modules[id(layer)] = 0, -1, layer
    return sorted(modules.values(), key=lambda m: (-layer_depth[id(m)], first_visit[id(m)]))


def _node_indices(model: Functional) -> dict[int, int]:
    """Each graph node's index among its layer's calls inside ``model`` (Keras re-numbers them so)."""
    ordered, _ = _graph_nodes(model)
    in_graph = {id(n) for n in ordered}
    indices: dict[int, int] = {}
    for layer in {id(n.module): n.module for n in ordered}.values():
        kept = [n for n in inbound_nodes(layer) if id(n) in in_graph] if not isinstance(layer, InputLayer) else []
        indices.update({id(n): i for i, n in enumerate(kept)})
    for node in ordered:
        indices.setdefault(id(node), 0)  # an Input's own node
    return indices


def _tensor_ref(tensor: SymbolicTensor, indices: dict[int, int]) -> dict[str, Any]:
    return {"class_name": "__keras_tensor__", "config": {
        "shape": list(tensor.shape), "dtype": str(tensor.dtype).removeprefix("torch."),
        "keras_history": [module_name(tensor.node.module), indices[id(tensor.node)], tensor.index],
    }}  # fmt: skip


def _argument(value: Any, indices: dict[int, int], where: str) -> Any:
    if isinstance(value, SymbolicTensor):
        return _tensor_ref(value, indices)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_argument(v, indices, where) for v in value]
    if isinstance(value, tuple):
        return {"class_name": "__tuple__", "config": {"value": [_argument(v, indices, where) for v in value]}}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _argument(v, indices, where) for k, v in value.items()}
    raise _refuse(where, f"it is called with an argument of type {type(value).__name__}, which Keras cannot store")


def _structure(value: Any, indices: dict[int, int]) -> Any:
    """Keras' ``input_layers``/``output_layers``: ``[name, node, index]`` triples in lists or dicts."""
    if isinstance(value, SymbolicTensor):
        return [module_name(value.node.module), indices[id(value.node)], value.index]
    if isinstance(value, dict):
        return {k: _structure(v, indices) for k, v in value.items()}
    return [_structure(v, indices) for v in value]


def functional_config(model: Functional) -> dict[str, Any]:
    """The ``config`` of Keras' ``Functional`` for a fitorch functional model."""
    indices = _node_indices(model)
    ordered, _ = _graph_nodes(model)
    in_graph = {id(n) for n in ordered}
    layers = []
    for layer in keras_layer_order(model):
        where = _where(layer)
        calls = [] if isinstance(layer, InputLayer) else [n for n in inbound_nodes(layer) if id(n) in in_graph]
        nodes = [{"args": [_argument(a, indices, where) for a in n.args],
                  "kwargs": {k: _argument(v, indices, where) for k, v in n.kwargs.items()}} for n in calls]  # fmt: skip
        layers.append({**_entry(layer), "name": module_name(layer), "inbound_nodes": nodes})
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": _structure(model._inputs_structure, indices),
        "output_layers": _structure(model._outputs_structure, indices),
    }


def sequential_config(model: Sequential) -> dict[str, Any]:
    """The ``config`` of Keras' ``Sequential`` (its InputLayer first, as Keras writes it)."""
    input_layer = model._input_tensor.layer
    return {
        "name": model.name,
        "trainable": model.trainable,
        "dtype": dtype_policy(None),
        "layers": [_entry(input_layer), *(_entry(layer) for layer in model.layers)],
        "build_input_shape": [input_layer.batch_size, *input_layer.shape],
    }


def model_entry(model: nn.Module) -> dict[str, Any]:
    """The serialized Keras model (``config.json`` without ``compile_config``); ``KerasExportError`` if none."""
    cls = original_class(model)
    if cls is Sequential:
        if not model.built:
            raise _refuse(
                f"Sequential {model.name!r}", "it is not built yet (no Input and never called), so it has no weights"
            )
        input_layer = model._input_tensor.layer
        return {"module": "keras", "class_name": "Sequential", "config": sequential_config(model),
                "registered_name": None,
                "build_config": {"input_shape": [input_layer.batch_size, *input_layer.shape]}}  # fmt: skip
    if cls is Functional:
        return {"module": "keras.src.models.functional", "class_name": "Functional",
                "config": functional_config(model), "registered_name": "Functional",
                "build_config": {"input_shape": None}}  # fmt: skip
    where = f"Model {getattr(model, 'name', '')!r} ({cls.__name__})"
    if cls.__name__ == "WrappedModule":
        inner = type(model.module)
        raise _refuse(where, f"it wraps a plain PyTorch module ({inner.__module__}.{inner.__qualname__}), whose "
                      "forward() is Python code that Keras cannot rebuild")  # fmt: skip
    raise _refuse(where, "it is a subclassed model, whose forward() is Python code; Keras files hold functional "
                  "and Sequential models only")  # fmt: skip
