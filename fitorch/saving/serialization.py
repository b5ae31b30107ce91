"""A model's architecture as plain JSON, and back, through the registry only.

Saving walks the model: a functional model becomes its layers (each a registry
name and its ``get_config()``), its calls in topological order (arguments with
symbolic tensors replaced by ``{"tensor": [layer, call, output]}``) and its input
and output structures; a ``Sequential`` becomes its layer list and input spec;
nested models nest. Loading reverses it: every class comes from
:func:`fitorch.saving.registry.resolve`, every layer name is checked, and the graph
is rebuilt by calling the layers on symbolic tensors again, so shapes are re-checked.

Example:
    >>> import fitorch
    >>> from fitorch import layers
    >>> inputs = layers.Input(shape=(3,), name="x")
    >>> model = fitorch.Model(inputs, layers.Dense(2, name="out")(inputs))
    >>> config = serialize_model(model)
    >>> [layer["name"] for layer in config["config"]["layers"]]
    ['x', 'out']
    >>> config["config"]["nodes"][0]["args"]
    [{'tensor': ['x', 0, 0]}]
    >>> rebuilt = Deserializer().module(config, "the model")
    >>> sorted(rebuilt.state_dict())
    ['out.bias', 'out.weight']
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from typing import Any

from torch import nn

from fitorch import activations
from fitorch.distributed.runtime import original_class
from fitorch.graph.node import module_name
from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.layers.activations import Activation
from fitorch.layers.core.input_layer import Input, InputLayer
from fitorch.layers.core.lambda_layer import Lambda
from fitorch.layers.core.torch_module import TorchModule
from fitorch.layers.layer import Layer
from fitorch.models.functional import Functional
from fitorch.models.model import Model
from fitorch.models.sequential import Sequential
from fitorch.models.wrap import WrappedModule
from fitorch.saving import registry
from fitorch.saving.errors import UnsafeModelError, quote
from fitorch.utils.tree import flatten

PLAIN_MODULE_MESSAGE = (
    "{where} is a plain torch module ({cls}), and fitorch saves architectures only from classes it can "
    "rebuild without running code from the file. Either:\n"
    "  * use the fitorch layer instead (e.g. layers.Dense for nn.Linear, layers.Conv2D for nn.Conv2d);\n"
    "  * subclass it with a get_config() returning its __init__ arguments and register it:\n"
    "        @fitorch.saving.register_serializable(package='mypkg')\n"
    "        class MyLinear(torch.nn.Linear):\n"
    "            def get_config(self):\n"
    "                return {{'in_features': self.in_features, 'out_features': self.out_features}}\n"
    "  * or save the weights only: model.save_weights('model.weights.safetensors')."
)

LAMBDA_REFUSED = (
    "The file holds a Lambda layer {name}. A Lambda is arbitrary Python code, and running code from a model "
    "file is how CVE-2024-3660 worked, so safe_mode=True refuses it. fitorch never runs code stored in a file, "
    "in any mode. If you trust the file, pass safe_mode=False together with the Lambda's function: "
    "load_model(path, safe_mode=False, custom_objects={{{function!r}: my_function}})."
)

#: Layer names become state_dict keys, and in other tools file paths; these characters are refused.
_BAD_NAME = re.compile(r"[/\\.:\x00-\x1f\x7f]")
_ENTRY_KEYS = {"class_name", "config", "name", "build_config", "python_class"}


# ====================================================================== saving
def _where(module: nn.Module) -> str:
    return f"Layer {module_name(module)!r} ({type(module).__name__})"


def check_json(value: Any, where: str) -> None:
    """Raises ``TypeError`` naming ``where`` unless ``value`` is plain JSON data."""

    def walk(node: Any, path: str) -> None:
        if node is None or isinstance(node, (bool, int, float, str)):
            return
        if isinstance(node, (list, tuple)):
            for index, item in enumerate(node):
                walk(item, f"{path}[{index}]")
            return
        if isinstance(node, dict):
            for key, item in node.items():
                if not isinstance(key, str):
                    raise TypeError(f"{where}: get_config() has a non-string key {key!r} at {path or 'the top'}.")
                walk(item, f"{path}.{key}" if path else key)
            return
        raise TypeError(
            f"{where}: get_config() returned {type(node).__name__} {node!r} at {path!r}, which is not JSON data. "
            "get_config() must return plain data (numbers, strings, lists, dicts) mirroring __init__'s arguments."
        )

    walk(value, "")


def _own_get_config(cls: type) -> bool:
    """True when ``cls`` defines ``get_config`` below fitorch's ``Layer``/``Model`` bases."""
    for klass in cls.__mro__:
        if klass in (Layer, Model, nn.Module, object):
            return False
        if "get_config" in klass.__dict__:
            return True
    return False


def _check_init_args(cls: type, config: dict[str, Any], where: str) -> None:
    """A user class whose get_config() misses __init__ arguments cannot be rebuilt: say so at save time."""
    try:
        parameters = inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return
    missing = [
        name
        for name, p in list(parameters.items())[1:]
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        and name not in config
        and p.default is inspect.Parameter.empty
    ]
    if missing:
        raise TypeError(
            f"{where}: __init__ takes {missing} but get_config() does not return them, so the layer cannot be "
            f"rebuilt. Override get_config() to return {{**super().get_config(), {', '.join(f'{m!r}: ...' for m in missing)}}}."
        )


def serialize_module(module: nn.Module, where: str | None = None) -> dict[str, Any]:
    """``{"class_name": ..., "config": ...}`` for a layer, a nested model or a registered module.

    Raises:
        TypeError: for a plain ``nn.Module``, a ``Lambda``, an unregistered class
            without ``get_config``, or a config that is not JSON data.
    """
    where = where or _where(module)
    cls = original_class(module)
    if cls is Functional:
        return {"class_name": "Functional", "config": functional_config(module)}
    if cls is Sequential:
        return {"class_name": "Sequential", "config": sequential_config(module)}
    if isinstance(module, WrappedModule):
        return {
            "class_name": "WrappedModule",
            "config": {"name": module.name, "module": serialize_module(module.module, f"{where}'s wrapped module")},
        }
    if isinstance(module, Lambda):
        module.get_config()  # raises the Lambda's own explanation
    name = registry.name_of(cls, "layer")
    builtin = registry.builtin_name(cls, "layer") is not None
    if name is None:
        if not isinstance(module, Layer) and not hasattr(module, "get_config"):
            raise TypeError(PLAIN_MODULE_MESSAGE.format(where=where, cls=f"{cls.__module__}.{cls.__qualname__}"))
        name = cls.__name__  # a user class: load_model finds it through custom_objects
    if isinstance(module, Model) and not _own_get_config(cls):
        raise TypeError(
            f"{where} is a subclassed model without get_config(), so it cannot be saved inside another model. "
            "Give it a get_config() returning its __init__ arguments, or build it from layers."
        )
    if not hasattr(module, "get_config"):
        raise TypeError(PLAIN_MODULE_MESSAGE.format(where=where, cls=f"{cls.__module__}.{cls.__qualname__}"))
    config = _activation_layer_config(module, where) if isinstance(module, Activation) else module.get_config()
    if not isinstance(config, dict):
        raise TypeError(f"{where}: get_config() must return a dict; received {type(config).__name__}.")
    config = _encode_activation_functions(module, config, where)
    check_json(config, where)
    if not builtin:
        _check_init_args(cls, config, where)
    return {"class_name": name, "config": config}


def _activation_function_entry(function: Any, key: str, where: str) -> dict[str, Any]:
    """A user's activation function as ``{"class_name": "function", "config": name, "registered_name": ...}``.

    Only the name is stored; loading finds the function through ``custom_objects`` or
    ``register_serializable``, never through the file.
    """
    name = getattr(function, "__name__", None)
    if not isinstance(name, str) or not name.isidentifier():
        raise TypeError(
            f"{where}: {key}={function!r} has no name a file can store (a lambda or a callable object). Define it "
            "as a named function (def my_activation(x): ...) and pass it to load_model as custom_objects, or "
            "register it with @fitorch.saving.register_serializable()."
        )
    return {"class_name": "function", "config": name, "registered_name": registry.registered_name(function) or name}


def _custom_activation(module: nn.Module, key: str) -> Any:
    """The module's ``key`` attribute when it is an activation function the activation registry cannot name."""
    function = getattr(module, key, None)
    if callable(function) and not isinstance(function, nn.Module) and activations.serialize(function) is None:
        return function
    return None


def _encode_activation_functions(module: nn.Module, config: dict[str, Any], where: str) -> dict[str, Any]:
    """Replaces the ``None`` a layer's config holds for a custom activation function by a reference to it."""
    keys = [k for k, v in config.items() if v is None and k.endswith("activation") and _custom_activation(module, k)]
    if not keys:
        return config
    return {**config, **{k: _activation_function_entry(getattr(module, k), k, where) for k in keys}}


def _activation_layer_config(module: Activation, where: str) -> dict[str, Any]:
    """``Activation(fn)``'s config: its own ``get_config`` refuses unregistered functions."""
    if _custom_activation(module, "activation") is None:
        return module.get_config()
    return {**Layer.get_config(module), "activation": None}


def serialize_model(model: nn.Module) -> dict[str, Any]:
    """The top-level entry for ``model``.

    A subclassed model without ``get_config`` (or a wrapped plain module) gets
    ``"config": None`` and its Python class name, so that loading can explain what
    the user must provide; its weights are still saved.
    """
    model_class = original_class(model)
    unrebuildable = None
    if isinstance(model, WrappedModule):
        inner = model.module
        if registry.name_of(type(inner), "layer") is None and not (
            isinstance(inner, Layer) or hasattr(inner, "get_config")
        ):
            unrebuildable = inner
    elif isinstance(model, Model) and model_class not in (Functional, Sequential) and not _own_get_config(model_class):
        unrebuildable = model
    if unrebuildable is not None:
        cls = original_class(unrebuildable)
        return {
            "class_name": registry.name_of(cls, "layer") or cls.__name__,
            "config": None,
            "name": getattr(model, "name", None),
            "python_class": f"{cls.__module__}.{cls.__qualname__}",
            "build_config": build_config(model),
        }
    entry = serialize_module(model, f"Model {getattr(model, 'name', '')!r} ({model_class.__name__})")
    if model_class not in (Functional, Sequential, WrappedModule):
        entry["build_config"] = build_config(model)
    return entry


def build_config(model: nn.Module) -> Any:
    """The input shapes a subclassed model was first called with (to build lazily built layers on load)."""
    getter = getattr(model, "get_build_config", None)
    if callable(getter):
        config = getter()
        check_json(config, f"Model {getattr(model, 'name', '')!r}: get_build_config()")
        return {"custom": config}
    shape = getattr(model, "_build_input_shape", None)
    if shape is None:
        return None
    return {"input_shape": _encode_shapes(shape)}


def _encode_shapes(shape: Any) -> Any:
    if isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
        return {"shape": list(shape)}
    if isinstance(shape, dict):
        return {"dict": {str(k): _encode_shapes(v) for k, v in shape.items()}}
    if isinstance(shape, (list, tuple)):
        return [_encode_shapes(s) for s in shape]
    return None


def _encode(value: Any, refs: Mapping[int, tuple[str, int]], where: str) -> Any:
    if isinstance(value, SymbolicTensor):
        name, call = refs[id(value.node)]
        return {"tensor": [name, call, value.index]}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, list):
        return [_encode(v, refs, where) for v in value]
    if isinstance(value, tuple):
        return {"tuple": [_encode(v, refs, where) for v in value]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: _encode(v, refs, where) for k, v in value.items()}}
    raise TypeError(
        f"{where} is called with an argument of type {type(value).__name__} ({value!r}), which cannot be saved: "
        "call arguments must be symbolic tensors or plain data."
    )


def functional_config(model: Functional) -> dict[str, Any]:
    """The config of a functional model: layers, calls in topological order, input and output structures."""
    layers: list[dict[str, Any]] = []
    names: dict[int, str] = {}
    refs: dict[int, tuple[str, int]] = {}
    calls_per_layer: dict[str, int] = {}
    nodes: list[dict[str, Any]] = []
    for node in model._topological_nodes():
        module = node.module
        name = module_name(module)
        if id(module) not in names:
            names[id(module)] = name
            layers.append({**serialize_module(module), "name": name})
        if not node.input_tensors and isinstance(module, InputLayer):
            refs[id(node)] = (name, 0)
            calls_per_layer[name] = 1
            continue
        where = f"Layer {name!r} ({type(module).__name__})"
        nodes.append(
            {
                "layer": name,
                "args": [_encode(arg, refs, where) for arg in node.args],
                "kwargs": {key: _encode(value, refs, where) for key, value in node.kwargs.items()},
            }
        )
        refs[id(node)] = (name, calls_per_layer.get(name, 0))
        calls_per_layer[name] = refs[id(node)][1] + 1
    where = f"Model {model.name!r}"
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "nodes": nodes,
        "inputs": _encode(model._inputs_structure, refs, where),
        "outputs": _encode(model._outputs_structure, refs, where),
    }


def sequential_config(model: Sequential) -> dict[str, Any]:
    """The config of a ``Sequential``: its layers and, once built, its input."""
    layers = [{**serialize_module(layer), "name": module_name(layer)} for layer in model._stack]
    spec = None
    if model.built and model._input_tensor is not None:
        input_layer = model._input_tensor.layer
        spec = {
            "shape": list(input_layer.shape),
            "batch_size": input_layer.batch_size,
            "dtype": str(input_layer.input_dtype).removeprefix("torch."),
        }
    return {"name": model.name, "trainable": model.trainable, "layers": layers, "input": spec}


# ====================================================================== loading
def check_layer_name(name: Any) -> str:
    """Returns ``name`` if it is a safe layer name; ``UnsafeModelError`` otherwise."""
    if not isinstance(name, str) or not 0 < len(name) <= 200 or _BAD_NAME.search(name) or name.strip() != name:
        raise UnsafeModelError(
            f"The file has a layer named {quote(name)}. Layer names may not be empty or contain path separators, "
            "'.', ':' or control characters (names used as paths are the attack of CVE-2026-12479)."
        )
    return name


def _check_nested_names(value: Any) -> None:
    """Every ``class_name`` nested anywhere in a config must be a plain registry name (no dotted paths)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("class_name", "function_name", "registered_name"):
                if key in node and node[key] is not None:
                    registry.check_name(node[key])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _expect_dict(value: Any, keys: set[str], where: str, required: set[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UnsafeModelError(f"{where}: expected a JSON object; the file has {quote(value)}.")
    unknown = set(value) - keys
    if unknown:
        raise UnsafeModelError(f"{where}: unexpected keys {quote(sorted(unknown))}.")
    missing = required - set(value)
    if missing:
        raise UnsafeModelError(f"{where}: missing keys {sorted(missing)}.")
    return value


class Deserializer:
    """Rebuilds modules from configs, resolving every class through the registry.

    Args:
        custom_objects: user-supplied classes and functions by name.
        safe_mode: when ``True``, ``Lambda`` layers are refused.
    """

    def __init__(self, custom_objects: Mapping[str, Any] | None = None, safe_mode: bool = True) -> None:
        self.custom_objects = dict(custom_objects or {})
        self.safe_mode = safe_mode

    # ------------------------------------------------------------------ one module
    def module(self, entry: Any, where: str) -> nn.Module:
        """Builds the module an entry ``{"class_name", "config", ...}`` describes."""
        entry = _expect_dict(entry, _ENTRY_KEYS, where, required={"class_name", "config"})
        class_name, config = entry["class_name"], entry["config"]
        registry.check_name(class_name)
        cls = registry.resolve(class_name, "layer", self.custom_objects)
        if cls is Functional:
            return self.functional(config, where)
        if cls is Sequential:
            return self.sequential(config, where)
        if cls is WrappedModule:
            config = _expect_dict(config, {"name", "module"}, where, required={"module"})
            return WrappedModule(self.module(config["module"], f"{where}'s wrapped module"), name=config.get("name"))
        if cls is Lambda:
            return self.lambda_layer(config, entry.get("name"))
        if cls is TorchModule:
            return self.torch_module(config, where)
        if cls is InputLayer:
            config = _expect_dict(config, {"shape", "batch_size", "dtype", "name"}, where, required={"shape"})
        if not isinstance(config, dict):
            raise UnsafeModelError(f"{where}: the config of {quote(class_name)} must be a JSON object.")
        _check_nested_names(config)
        config = self._activation_functions(config, where)
        from_config = getattr(cls, "from_config", None)
        if not callable(from_config):
            module = cls(**config)
        elif "custom_objects" in inspect.signature(from_config).parameters:
            # Wrappers (Bidirectional, SpectralNormalization...) rebuild their inner layer by name.
            module = from_config(dict(config), custom_objects={**registry.all_registered(), **self.custom_objects})
        else:
            module = from_config(dict(config))
        if not isinstance(module, nn.Module):
            raise UnsafeModelError(f"{where}: {quote(class_name)}.from_config returned {type(module).__name__}.")
        return module

    def _activation_functions(self, config: dict[str, Any], where: str) -> dict[str, Any]:
        """Resolves the activation functions a config references by name (see ``_activation_function_entry``)."""
        resolved = {}
        for key, value in config.items():
            if isinstance(value, dict) and value.get("class_name") == "function" and key.endswith("activation"):
                name = value.get("registered_name") or value.get("config")
                short = value.get("config") if isinstance(value.get("config"), str) else name
                try:
                    resolved[key] = registry.resolve(name, "function", self.custom_objects)
                except UnsafeModelError as error:
                    raise UnsafeModelError(
                        f"{where} uses the custom activation function {quote(short)} ({key}), which this load "
                        f"cannot find. Pass it as load_model(path, custom_objects={{{short!r}: {short}}}) or "
                        f"register it with @fitorch.saving.register_serializable().\n{error}"
                    ) from None
        return {**config, **resolved} if resolved else config

    def torch_module(self, config: Any, where: str) -> TorchModule:
        """A ``TorchModule`` and the module it wraps, itself rebuilt through this deserializer (same rules)."""
        if not isinstance(config, dict) or "module" not in config:
            raise UnsafeModelError(f"{where}: a TorchModule config must be a JSON object with a 'module' entry.")
        if isinstance(config["module"], str):
            raise UnsafeModelError(
                f"{where} is Keras' TorchModuleWrapper, which stores its torch module as pickled bytes (torch.save). "
                "fitorch never unpickles: rebuild the model with fitorch.layers.TorchModule(module) in code and "
                "load the weights only."
            )
        _check_nested_names({k: v for k, v in config.items() if k != "module"})
        inner = self.module(config["module"], f"{where}'s module")
        return TorchModule(inner, **{k: v for k, v in config.items() if k != "module"})

    def lambda_layer(self, config: Any, name: Any) -> nn.Module:
        """A ``Lambda`` from a file: refused in safe mode; otherwise its function comes from ``custom_objects``."""
        config = config if isinstance(config, dict) else {}
        function = config.get("function")
        function_name = function.get("function_name") if isinstance(function, dict) else None
        if isinstance(function, dict) and isinstance(function.get("config"), str):  # Keras: a named function
            function_name = function["config"]
        if self.safe_mode:
            raise UnsafeModelError(LAMBDA_REFUSED.format(name=quote(name), function=function_name or "my_function"))
        if not isinstance(function_name, str):
            raise UnsafeModelError(
                f"The Lambda layer {quote(name)} stores code rather than a function name. fitorch never runs code "
                "stored in a file, even with safe_mode=False: rewrite the Lambda as a registered Layer subclass."
            )
        if function_name not in self.custom_objects:
            raise UnsafeModelError(
                f"The Lambda layer {quote(name)} calls a function named {quote(function_name)}; pass it as "
                f"custom_objects={{{function_name!r}: ...}} (fitorch never runs code stored in a file)."
            )
        output_shape = config.get("output_shape")
        if output_shape is not None and not (
            isinstance(output_shape, list) and all(d is None or isinstance(d, int) for d in output_shape)
        ):
            output_shape = None
        arguments = config.get("arguments") if isinstance(config.get("arguments"), dict) else None
        return Lambda(
            self.custom_objects[function_name],
            output_shape=tuple(output_shape) if output_shape is not None else None,
            arguments=arguments,
            name=config.get("name") if isinstance(config.get("name"), str) else None,
        )

    def _named(self, entry: Any, where: str) -> tuple[str, nn.Module]:
        if not isinstance(entry, dict):
            raise UnsafeModelError(f"{where}: a layer entry must be a JSON object.")
        name = check_layer_name(entry.get("name"))
        module = self.module(entry, f"{where}, layer {name!r}")
        if not isinstance(module, Layer):
            # Files written before TorchModule existed list a plain module as a layer of the graph.
            module = TorchModule(module, name=name)
        config = entry.get("config")
        if module.name != name and isinstance(config, dict) and "name" not in config:
            # A custom layer whose get_config() leaves out `name` (its __init__ may not even take one) got a
            # fresh name; it takes the entry's, as Keras finds the layer by the entry's name.
            module.name = name
        if module.name != name:
            raise UnsafeModelError(f"{where}: layer entry {name!r} builds a layer named {quote(module.name)}.")
        return name, module

    # ------------------------------------------------------------------ models
    def functional(self, config: Any, where: str) -> Functional:
        """Rebuilds a functional model by replaying its calls on symbolic tensors."""
        config = _expect_dict(
            config, {"name", "trainable", "layers", "nodes", "inputs", "outputs"}, where,
            required={"layers", "nodes", "inputs", "outputs"},
        )  # fmt: skip
        if not isinstance(config["layers"], list) or not isinstance(config["nodes"], list):
            raise UnsafeModelError(f"{where}: layers and nodes must be lists.")
        modules: dict[str, nn.Module] = {}
        produced: dict[tuple[str, int], list[SymbolicTensor]] = {}
        for entry in config["layers"]:
            name, module = self._named(entry, where)
            if name in modules:
                raise UnsafeModelError(f"{where}: two layers are named {name!r}.")
            modules[name] = module
            if isinstance(module, InputLayer):
                produced[(name, 0)] = [module.output]
        calls = {name: int((name, 0) in produced) for name in modules}
        for index, node in enumerate(config["nodes"]):
            node = _expect_dict(node, {"layer", "args", "kwargs"}, f"{where}, call {index}", required={"layer"})
            name = node["layer"]
            if not isinstance(name, str) or name not in modules:
                raise UnsafeModelError(f"{where}, call {index}: no layer named {quote(name)} in the model.")
            args = node.get("args", [])
            kwargs = node.get("kwargs", {})
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise UnsafeModelError(f"{where}, call {index}: args must be a list and kwargs an object.")
            decoded_args = [self._decode(a, produced, where) for a in args]
            decoded_kwargs = {k: self._decode(v, produced, where) for k, v in kwargs.items()}
            if not any(isinstance(t, SymbolicTensor) for t in flatten((decoded_args, decoded_kwargs))):
                raise UnsafeModelError(f"{where}, call {index}: layer {name!r} is called without any input tensor.")
            outputs = flatten(modules[name](*decoded_args, **decoded_kwargs))
            if not all(isinstance(t, SymbolicTensor) for t in outputs):
                raise UnsafeModelError(f"{where}, call {index}: layer {name!r} did not return symbolic tensors.")
            produced[(name, calls[name])] = outputs
            calls[name] += 1
        inputs = self._decode(config["inputs"], produced, where)
        outputs = self._decode(config["outputs"], produced, where)
        model = Functional(inputs, outputs, name=_optional_name(config.get("name"), where))
        if config.get("trainable") is False:
            model.trainable = False
        return model

    def _decode(self, value: Any, produced: dict[tuple[str, int], list[SymbolicTensor]], where: str) -> Any:
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, list):
            return [self._decode(v, produced, where) for v in value]
        if not isinstance(value, dict) or len(value) != 1:
            raise UnsafeModelError(f"{where}: invalid call argument {quote(value)}.")
        ((tag, content),) = value.items()
        if tag == "tensor":
            if (
                not isinstance(content, list)
                or len(content) != 3
                or not isinstance(content[0], str)
                or not all(isinstance(i, int) and not isinstance(i, bool) for i in content[1:])
            ):
                raise UnsafeModelError(f"{where}: invalid tensor reference {quote(content)}.")
            outputs = produced.get((content[0], content[1]))
            if outputs is None or not 0 <= content[2] < len(outputs):
                raise UnsafeModelError(
                    f"{where}: the file refers to output {content[2]} of call {content[1]} of layer "
                    f"{quote(content[0])}, which does not exist (yet)."
                )
            return outputs[content[2]]
        if tag == "tuple" and isinstance(content, list):
            return tuple(self._decode(v, produced, where) for v in content)
        if tag == "dict" and isinstance(content, dict):
            return {k: self._decode(v, produced, where) for k, v in content.items()}
        raise UnsafeModelError(f"{where}: invalid call argument {quote(value)}.")

    def sequential(self, config: Any, where: str) -> Sequential:
        """Rebuilds a ``Sequential`` layer by layer."""
        config = _expect_dict(config, {"name", "trainable", "layers", "input"}, where, required={"layers"})
        if not isinstance(config["layers"], list):
            raise UnsafeModelError(f"{where}: layers must be a list.")
        model = Sequential(name=_optional_name(config.get("name"), where))
        spec = config.get("input")
        if spec is not None:
            spec = _expect_dict(spec, {"shape", "batch_size", "dtype"}, f"{where}, input", required={"shape"})
            shape = spec["shape"]
            if not isinstance(shape, list) or not all(d is None or (isinstance(d, int) and d >= 0) for d in shape):
                raise UnsafeModelError(f"{where}: invalid input shape {quote(shape)}.")
            model.add(Input(shape=tuple(shape), batch_size=spec.get("batch_size"), dtype=spec.get("dtype")))
        for entry in config["layers"]:
            _, module = self._named(entry, where)
            model.add(module)
        if config.get("trainable") is False:
            model.trainable = False
        return model

    def build(self, model: nn.Module, config: Any, where: str) -> None:
        """Builds a subclassed model's lazily built layers from its saved build config."""
        if config is None:
            return
        config = _expect_dict(config, {"input_shape", "custom"}, f"{where}, build_config")
        if "custom" in config:
            builder = getattr(model, "build_from_config", None)
            if callable(builder):
                builder(config["custom"])
            return
        shapes = _decode_shapes(config.get("input_shape"), where)
        if shapes is None:
            return
        model(_symbolic_inputs(shapes))


def _symbolic_inputs(shapes: Any) -> Any:
    """``Input`` tensors for a structure of shapes (a shape is a tuple; lists and dicts nest)."""
    if isinstance(shapes, tuple):
        return Input(shape=shapes[1:], batch_size=shapes[0])
    if isinstance(shapes, dict):
        return {k: _symbolic_inputs(v) for k, v in shapes.items()}
    return [_symbolic_inputs(v) for v in shapes]


def _decode_shapes(value: Any, where: str) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return [_decode_shapes(v, where) for v in value]
    if isinstance(value, dict) and set(value) == {"shape"}:
        shape = value["shape"]
        if isinstance(shape, list) and shape and all(d is None or (isinstance(d, int) and d >= 0) for d in shape):
            return tuple(shape)
    if isinstance(value, dict) and set(value) == {"dict"} and isinstance(value["dict"], dict):
        return {k: _decode_shapes(v, where) for k, v in value["dict"].items()}
    raise UnsafeModelError(f"{where}: invalid build input shape {quote(value)}.")


def _optional_name(name: Any, where: str) -> str | None:
    return None if name is None else check_layer_name(name)
