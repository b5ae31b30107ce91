"""``TorchModule``: a plain ``torch.nn.Module`` as a layer of a functional model.

Keras' ``TorchModuleWrapper`` (that name works too). Calling a bare ``nn.Module`` on a
symbolic tensor cannot record a graph node without patching torch, which fitorch never
does; the wrapper is the explicit, local way in. Torch modules that are attributes of
a fitorch ``Layer`` or ``Model`` need no wrapper: they only ever see real tensors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from torch import nn

from fitorch.graph.call import call_symbolically
from fitorch.graph.node import Node, TensorSpec
from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.layers.layer import Layer
from fitorch.utils.naming import to_snake_case, unique_name
from fitorch.utils.tree import flatten

#: Keras call arguments that the layer machinery handles; the wrapped module never receives them.
_KERAS_CALL_ARGUMENTS = ("training", "mask")


class TorchModule(Layer):
    """Wraps any ``torch.nn.Module`` so that it can be called on symbolic tensors.

    Use it to put a torch module (``nn.Linear``, ``nn.TransformerEncoderLayer``, your
    own module) into a functional model or a ``Sequential``; ``Sequential.add`` wraps
    plain modules itself. Eager calls run the module, hooks included. On symbolic
    tensors the output shapes come from running the module's ``forward`` on ``meta``
    tensors (no data, no FLOPs, and not through the module's own forward hooks; hooks on
    its sub-modules do see those meta tensors).

    In a functional model the wrapped module is registered under the layer's name, so
    ``state_dict()`` keys read ``linear.weight`` (as a plain module's did before the
    wrapper existed, which keeps older checkpoints loading). A wrapper used on its
    own, or as an attribute, holds the module as ``module`` (``module.weight``).

    The architecture can be saved when the module's class is registered with
    ``@fitorch.saving.register_serializable()`` and has a ``get_config()``; plain torch
    classes are never rebuilt from a file.

    Args:
        module: the ``nn.Module`` to wrap (not a fitorch layer, and not a lazy module
            whose parameters are still uninitialized).
        output_shape: optional full output shape (batch axis included, ``None`` where
            unknown), as in Keras; skips shape inference.
        name: defaults to the module's class in snake_case (``linear``, ``linear_1``...).

    Call arguments:
        *args, **kwargs: passed to the module. ``training`` sets the module's mode for
            the call (``Dropout`` follows it) and is not passed on; nor is ``mask``.

    Example:
        >>> import torch, fitorch
        >>> from fitorch import layers
        >>> inputs = layers.Input(shape=(8,))
        >>> hidden = layers.TorchModule(torch.nn.Linear(8, 4), name="linear")(inputs)
        >>> hidden.shape
        (None, 4)
        >>> model = fitorch.Model(inputs, layers.Dense(2, name="out")(hidden))
        >>> sorted(k for k in model.state_dict() if k.startswith("linear"))
        ['linear.bias', 'linear.weight']
        >>> model(torch.zeros(3, 8)).shape
        torch.Size([3, 2])
    """

    def __init__(self, module: nn.Module, output_shape: Sequence[int | None] | None = None, **kwargs: Any) -> None:
        if not isinstance(module, nn.Module):
            raise TypeError(f"TorchModule: module must be a torch.nn.Module; received {type(module).__name__}.")
        if isinstance(module, Layer):
            raise TypeError(
                f"TorchModule: {type(module).__name__} {module.name!r} is already a fitorch layer; call it on the "
                "symbolic tensor directly instead of wrapping it."
            )
        if isinstance(module, nn.modules.lazy.LazyModuleMixin) and module.has_uninitialized_params():
            raise ValueError(
                f"TorchModule: {type(module).__name__} is a lazy module whose parameters are not initialized yet. "
                "Call it once on a real tensor first, or use the fitorch layer, which infers its input size."
            )
        if output_shape is not None and not (
            isinstance(output_shape, (tuple, list)) and all(d is None or isinstance(d, int) for d in output_shape)
        ):
            raise TypeError(
                f"TorchModule: output_shape must be a tuple of ints and None (batch axis included); "
                f"received {output_shape!r}."
            )
        if kwargs.get("name") is None:
            kwargs["name"] = unique_name(to_snake_case(type(module).__name__))
        super().__init__(**kwargs)
        self.module = module
        self.output_shape = tuple(output_shape) if output_shape is not None else None
        self._pinned_device = None  # the module follows its model's device, as it would on its own
        if not self.trainable:
            self.trainable = False  # freezes the module's own parameters
        self.built = True

    def call(self, *args: Any, **kwargs: Any) -> Any:
        return self.module(*args, **kwargs)

    def _call_symbolic(self, args: tuple, kwargs: dict[str, Any]) -> Any:
        module_kwargs = {k: v for k, v in kwargs.items() if k not in _KERAS_CALL_ARGUMENTS}
        if self.output_shape is None:
            return call_symbolically(self, self.module, args, module_kwargs)
        dtype = next(t.dtype for t in flatten((list(args), kwargs)) if isinstance(t, SymbolicTensor))
        return Node(self, tuple(args), dict(kwargs), TensorSpec(self.output_shape, dtype)).outputs

    def get_config(self) -> dict[str, Any]:
        """The layer's config with the wrapped module's entry (its registered class name and config)."""
        from fitorch.saving.serialization import serialize_module

        config = {
            **super().get_config(),
            "module": serialize_module(self.module, f"Layer {self.name!r} (TorchModule)'s module"),
        }
        if self.output_shape is not None:
            config["output_shape"] = list(self.output_shape)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Mapping[str, Any] | None = None) -> TorchModule:
        """Rebuilds the wrapper and its module through the registry (no pickle, no import)."""
        from fitorch.saving.serialization import Deserializer

        config = dict(config)
        module = Deserializer(custom_objects).module(config.pop("module"), "TorchModule's module")
        return cls(module, **config)

    def extra_repr(self) -> str:
        return f"name={self.name!r}"


#: Keras' name for the same layer.
TorchModuleWrapper = TorchModule
