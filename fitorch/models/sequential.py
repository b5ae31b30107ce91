"""``Sequential``: a stack of layers, each feeding the next.

It is a functional model built as layers are added. With an ``Input`` (or
``input_shape=`` on the first layer) it is built at once and ``summary()`` shows
shapes; without one it builds on its first call, from the data's shape.

Example:
    >>> import torch, fitorch
    >>> from fitorch import layers
    >>> model = fitorch.Sequential([layers.Dense(8, activation="relu"), layers.Dense(1)])
    >>> model.built
    False
    >>> model(torch.zeros(2, 3)).shape
    torch.Size([2, 1])
    >>> model.add(layers.Dense(4))
    >>> model.output.shape
    (None, 4)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch
from torch import nn

from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.layers.core.input_layer import Input, InputLayer
from fitorch.layers.core.torch_module import TorchModule
from fitorch.layers.layer import Layer
from fitorch.models.functional import Functional
from fitorch.models.model import Model


class Sequential(Functional):
    """A linear stack of layers.

    Args:
        layers: optional list of layers; an ``Input(...)`` tensor or ``InputLayer``
            may come first.
        name: optional name.
    """

    def __init__(self, layers: Sequence[Any] | None = None, name: str | None = None, **kwargs: Any) -> None:
        Model.__init__(self, name=name, **kwargs)
        self._stack: list[nn.Module] = []
        self._input_tensor: SymbolicTensor | None = None
        self._output_tensor: SymbolicTensor | None = None
        self.built = False
        for layer in layers or []:
            self.add(layer)

    def add(self, layer: Any) -> None:
        """Appends a layer, or sets the input with an ``Input`` tensor.

        A plain ``nn.Module`` is wrapped in ``layers.TorchModule`` (as Keras' torch backend
        does), so ``model.layers`` lists the wrapper and ``state_dict()`` keeps the module's
        keys under the wrapper's name (``linear.weight``).
        """
        if isinstance(layer, SymbolicTensor) and isinstance(layer.layer, InputLayer):
            if self._stack or self._input_tensor is not None:
                raise ValueError(f"Sequential {self.name!r}: an Input can only come first.")
            self._input_tensor = self._output_tensor = layer
            return
        if isinstance(layer, InputLayer):
            self.add(layer.output)
            return
        if not isinstance(layer, nn.Module):
            raise TypeError(
                f"Sequential {self.name!r}: expected a layer or nn.Module; received {type(layer).__name__}."
            )
        if not isinstance(layer, Layer):
            layer = TorchModule(layer)
        self._stack.append(layer)
        declared = getattr(layer, "_batch_input_shape", None)
        if self._input_tensor is None and declared is not None and len(self._stack) == 1:
            self._input_tensor = self._output_tensor = Input(shape=declared[1:], batch_size=declared[0])
        if self._input_tensor is not None:
            self._output_tensor = layer(self._output_tensor)
            self._init_graph(self._input_tensor, self._output_tensor)
        else:
            self.add_module(layer.name, layer.module if isinstance(layer, TorchModule) else layer)

    def pop(self, rebuild: bool = True) -> nn.Module:
        """Removes the last layer and returns it.

        Args:
            rebuild: with a known input, rebuild the graph (``output``, ``summary()``) at
                once; otherwise the model builds again on its next call. Defaults to ``True``.

        Example:
            >>> import fitorch
            >>> from fitorch import layers
            >>> model = fitorch.Sequential([fitorch.Input((3,)), layers.Dense(4), layers.Dense(2)])
            >>> type(model.pop()).__name__, model.output.shape
            ('Dense', (None, 4))
        """
        if not self._stack:
            raise TypeError(f"Sequential {self.name!r}: there are no layers in the model to pop.")
        layer = self._stack.pop()
        for name in list(self._modules):
            del self._modules[name]
        self.built = False
        if rebuild and self._input_tensor is not None and self._stack:
            self._output_tensor = self._input_tensor
            for kept in self._stack:
                self._output_tensor = kept(self._output_tensor)
            self._init_graph(self._input_tensor, self._output_tensor)
        else:  # unbuilt: registered in order, built again on the next call or add()
            self._output_tensor = self._input_tensor
            for kept in self._stack:
                self.add_module(kept.name, kept.module if isinstance(kept, TorchModule) else kept)
        return layer

    def build(self, input_shape: Any = None) -> None:
        """Builds the graph for inputs of ``input_shape`` (batch axis included)."""
        self._build_graph(tuple(input_shape), torch.float32)

    def _build_graph(self, input_shape: tuple[int | None, ...], dtype: torch.dtype) -> None:
        self._input_tensor = self._output_tensor = Input(shape=input_shape[1:], dtype=dtype)
        for layer in self._stack:
            self._output_tensor = layer(self._output_tensor)
        for name in list(self._modules):  # re-register under the graph's names and order
            del self._modules[name]
        self._init_graph(self._input_tensor, self._output_tensor)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        if not self.built:
            if not self._stack:
                raise ValueError(f"Sequential {self.name!r} has no layers; add some before calling it.")
            first = args[0] if args else None
            if not isinstance(first, torch.Tensor):
                raise TypeError(f"Sequential {self.name!r}: expected a tensor input; received {type(first).__name__}.")
            self._build_graph((None, *first.shape[1:]), first.dtype)
        return super().forward(*args, **kwargs)

    def _build_for(self, inputs: Any) -> None:
        # Called by Layer.__call__ on the first (eager or symbolic) call: build the graph.
        if isinstance(inputs, (torch.Tensor, SymbolicTensor)):
            self._build_graph((None, *inputs.shape[1:]), inputs.dtype)

    @property
    def layers(self) -> list[nn.Module]:
        return list(self._stack)

    @property
    def output_names(self) -> list[str] | None:
        return super().output_names if self.built else None

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict[str, Any]:
        """The whole architecture as JSON data: the layers (with their configs) and, once built, the input."""
        from fitorch.saving.serialization import sequential_config

        return sequential_config(self)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Mapping[str, Any] | None = None) -> Sequential:
        """Rebuilds the ``Sequential`` ``get_config()`` describes, with fresh weights."""
        from fitorch.models.model_json import model_from_config

        return model_from_config("Sequential", config, custom_objects, f"{cls.__name__}.from_config")
