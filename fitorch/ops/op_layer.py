"""``OpLayer``: one ``fitorch.ops`` call (or Python operator) in a functional model.

Calling an op on symbolic tensors records an ``OpLayer`` node. The layer holds the
op's registered name and its arguments as JSON data, with each symbolic tensor
replaced by a slot ``{"tensor": i}``; the node's inputs are those tensors, in order.
Saving stores ``{"op": ..., "arguments": ...}`` and loading finds the op in
``fitorch.ops.registry.OPS`` only, so a model built with ops loads with no code
from the file.

Example:
    >>> import fitorch
    >>> from fitorch import layers, ops
    >>> x = layers.Input(shape=(4,))
    >>> y = ops.clip(x * 2, 0.0, 1.0)
    >>> layer = y.layer
    >>> type(layer).__name__, layer.op, layer.get_config()["arguments"]
    ('OpLayer', 'clip', {'args': [{'tensor': 0}, 0.0, 1.0], 'kwargs': {}})
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.layers.layer import Layer
from fitorch.ops import registry
from fitorch.ops.dtypes import to_torch_dtype
from fitorch.saving.registry import register_serializable
from fitorch.utils.naming import unique_name

#: Constant tensors in an op's arguments are stored in the config; bigger ones belong in a layer's weights.
MAX_CONSTANT_SIZE = 4096


class _Slot:
    """Where the ``index``-th input tensor goes in an op's arguments."""

    def __init__(self, index: int) -> None:
        self.index = index


class _Constant:
    """Where the ``index``-th constant array goes (a non-persistent buffer, so it follows ``.to()``)."""

    def __init__(self, index: int) -> None:
        self.index = index


def encode_arguments(value: Any, tensors: list[SymbolicTensor], where: str) -> Any:
    """Encodes an op's arguments as JSON data, appending each symbolic tensor to ``tensors``."""
    if isinstance(value, SymbolicTensor):
        tensors.append(value)
        return {"tensor": len(tensors) - 1}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list):
        return [encode_arguments(v, tensors, where) for v in value]
    if isinstance(value, tuple):
        return {"tuple": [encode_arguments(v, tensors, where) for v in value]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: encode_arguments(v, tensors, where) for k, v in value.items()}}
    if isinstance(value, slice):
        return {"slice": [encode_arguments(v, tensors, where) for v in (value.start, value.stop, value.step)]}
    if value is Ellipsis:
        return {"ellipsis": True}
    if isinstance(value, torch.dtype):
        return {"dtype": str(value).removeprefix("torch.")}
    if isinstance(value, (torch.Tensor, np.ndarray)):
        array = value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else value
        if array.size > MAX_CONSTANT_SIZE:
            raise TypeError(
                f"{where}: a constant array of shape {array.shape} is too large to store in the model config "
                f"(at most {MAX_CONSTANT_SIZE} elements). Make it a weight of a layer, or an input of the model."
            )
        return {"array": array.tolist(), "dtype": str(array.dtype)}
    raise TypeError(
        f"{where} received an argument of type {type(value).__name__} ({value!r}), which a model cannot store. "
        "Arguments of ops in a functional model must be symbolic tensors, numbers, strings, slices, dtypes, "
        "small constant arrays, or lists/tuples/dicts of them."
    )


def decode_arguments(value: Any, constants: list[torch.Tensor], where: str) -> Any:
    """Reverses :func:`encode_arguments`: a ``_Slot`` where each input tensor goes, and a
    ``_Constant`` for each constant array (appended to ``constants``)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [decode_arguments(v, constants, where) for v in value]
    if isinstance(value, dict) and len(value) == 1:
        ((tag, content),) = value.items()
        if tag == "tensor" and isinstance(content, int) and not isinstance(content, bool) and content >= 0:
            return _Slot(content)
        if tag == "tuple" and isinstance(content, list):
            return tuple(decode_arguments(v, constants, where) for v in content)
        if tag == "dict" and isinstance(content, dict):
            return {str(k): decode_arguments(v, constants, where) for k, v in content.items()}
        if tag == "slice" and isinstance(content, list) and len(content) == 3:
            return slice(*(decode_arguments(v, constants, where) for v in content))
        if tag == "ellipsis" and content is True:
            return Ellipsis
        if tag == "dtype" and isinstance(content, str):
            return _torch_dtype(content, where)
    if isinstance(value, dict) and set(value) == {"array", "dtype"} and isinstance(value["dtype"], str):
        try:
            constants.append(torch.tensor(value["array"], dtype=_torch_dtype(value["dtype"], where)))
        except (TypeError, ValueError, RuntimeError) as error:
            raise ValueError(f"{where}: invalid constant array in the config: {error}") from None
        return _Constant(len(constants) - 1)
    raise ValueError(f"{where}: invalid op argument {value!r} in the config.")


def _torch_dtype(name: str, where: str) -> torch.dtype:
    try:
        return to_torch_dtype(name)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: unknown dtype {name!r} in the config.") from None


def _fill(template: Any, tensors: tuple, constants: list[torch.Tensor]) -> Any:
    if isinstance(template, _Slot):
        return tensors[template.index]
    if isinstance(template, _Constant):
        return constants[template.index]
    if isinstance(template, list):
        return [_fill(v, tensors, constants) for v in template]
    if isinstance(template, tuple):
        return tuple(_fill(v, tensors, constants) for v in template)
    if isinstance(template, dict):
        return {k: _fill(v, tensors, constants) for k, v in template.items()}
    if isinstance(template, slice):
        return slice(*(_fill(v, tensors, constants) for v in (template.start, template.stop, template.step)))
    return template


@register_serializable(package="fitorch", name="OpLayer")
class OpLayer(Layer):
    """A layer that runs one registered ``fitorch.ops`` function; what ops become in a functional model.

    You rarely create one yourself: calling an op (``ops.add``, ``x * 2``,
    ``x[:, 0]`` ...) on symbolic tensors does it.

    Args:
        op: the op's registered name (a key of ``fitorch.ops.registry.OPS``), e.g. ``'add'``.
        arguments: ``{"args": [...], "kwargs": {...}}``, JSON data with ``{"tensor": i}``
            where the ``i``-th input tensor goes.
        **kwargs: base ``Layer`` arguments (``name``, ``trainable``, ``dtype``).

    Call arguments:
        *tensors: the input tensors, in slot order.

    Example:
        >>> import torch
        >>> layer = OpLayer("add", {"args": [{"tensor": 0}, 1.5], "kwargs": {}})
        >>> layer(torch.tensor([1.0, 2.0]))
        tensor([2.5000, 3.5000])
    """

    def __init__(self, op: str, arguments: dict[str, Any] | None = None, **kwargs: Any) -> None:
        function = registry.get_eager_op(op)
        kwargs.setdefault("name", unique_name(op.replace(".", "_")))
        super().__init__(**kwargs)
        arguments = {"args": [], "kwargs": {}} if arguments is None else arguments
        if not isinstance(arguments, dict) or set(arguments) - {"args", "kwargs"}:
            raise ValueError(
                f"OpLayer {self.name!r}: arguments must be a dict with keys 'args' and 'kwargs'; "
                f"received {arguments!r}."
            )
        where = f"OpLayer {self.name!r} ({op})"
        self.op = op
        self.arguments = {"args": list(arguments.get("args", [])), "kwargs": dict(arguments.get("kwargs", {}))}
        self._function: Callable[..., Any] = function
        constants: list[torch.Tensor] = []
        self._args = decode_arguments(self.arguments["args"], constants, where)
        self._kwargs = decode_arguments({"dict": self.arguments["kwargs"]}, constants, where)
        # Buffers follow model.to(device) and meta-device inference; the config already holds them.
        for index, constant in enumerate(constants):
            self.register_buffer(f"constant_{index}", constant, persistent=False)
        self._num_constants = len(constants)

    def call(self, *tensors: torch.Tensor) -> Any:
        constants = [getattr(self, f"constant_{i}") for i in range(self._num_constants)]
        return self._function(*_fill(self._args, tensors, constants), **_fill(self._kwargs, tensors, constants))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "op": self.op, "arguments": self.arguments}

    def extra_repr(self) -> str:
        return f"name={self.name!r}, op={self.op!r}"


def call_symbolic(name: str, function: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> Any:
    """Records ``function(*args, **kwargs)`` as an ``OpLayer`` node and returns its symbolic outputs."""
    tensors: list[SymbolicTensor] = []
    where = f"ops.{name}"
    arguments = {
        "args": [encode_arguments(a, tensors, where) for a in args],
        "kwargs": {k: encode_arguments(v, tensors, where) for k, v in kwargs.items()},
    }
    return OpLayer(name, arguments)(*tensors)
