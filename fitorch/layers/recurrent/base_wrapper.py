"""``Wrapper``: the shared parent of layers that wrap another layer (``TimeDistributed``).

It also holds the helpers ``Bidirectional`` shares with it: building a wrapped layer
on the wrapper's device, and turning a wrapped layer into plain config data and back.
A wrapped layer's class is resolved only among ``custom_objects``, the recurrent
layers and the public ``fitorch.layers`` classes; nothing is imported by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]


def build_sublayer(layer: nn.Module, input_shape: Shape, device: torch.device | None) -> None:
    """Builds a wrapped fitorch layer for ``input_shape``, its weights on ``device`` (plain modules need nothing)."""
    if not isinstance(layer, Layer) or layer.built:
        return
    layer._build_device = device  # what Layer._build_for would set from a real input
    layer._check_input_spec(input_shape)
    layer.build(input_shape)


def serialize_layer(layer: nn.Module) -> dict[str, Any]:
    """``{'class_name', 'config'}`` of a wrapped layer, for a wrapper's ``get_config``."""
    if not isinstance(layer, Layer):
        raise TypeError(
            f"Cannot serialize the wrapped {type(layer).__name__}: only fitorch layers have a config. "
            "Wrap a fitorch layer, or skip get_config for this model."
        )
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def deserialize_layer(config: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Layer:
    """Rebuilds a wrapped layer from ``serialize_layer``'s output.

    The class is looked up among ``custom_objects``, the recurrent layers and the public
    layers of ``fitorch.layers``; nothing is imported by name.
    """
    from fitorch import layers as public_layers
    from fitorch.layers import recurrent

    if not isinstance(config, dict) or set(config) != {"class_name", "config"}:
        raise ValueError(f"A wrapped layer's config must be {{'class_name': ..., 'config': ...}}; received {config!r}.")
    name = config["class_name"]
    known: dict[str, Any] = {n: getattr(public_layers, n) for n in public_layers.__all__}
    known.update({n: getattr(recurrent, n) for n in recurrent.__all__})
    known.update(custom_objects or {})
    cls = known.get(name)
    if not (isinstance(cls, type) and issubclass(cls, Layer)):
        raise ValueError(
            f"Unknown layer class {name!r} in a wrapper's config. Pass it in custom_objects={{'{name}': ...}}."
        )
    return cls.from_config(dict(config["config"]))


class Wrapper(Layer):
    """Abstract wrapper: a layer that adds behaviour around another layer, ``self.layer``.

    Its weights are the wrapped layer's, so ``get_weights``/``set_weights`` go through
    the wrapped layer's own (Keras layout, any gate reordering included).

    Args:
        layer: the wrapped layer (a fitorch ``Layer``, or any ``nn.Module``; only
            fitorch layers can be serialized with ``get_config``).
    """

    def __init__(self, layer: nn.Module, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(layer, nn.Module):
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: expected a layer (a fitorch Layer or an nn.Module) to "
                f"wrap; received {layer!r} of type {type(layer).__name__}."
            )
        self.layer = layer

    def get_weights(self) -> list[np.ndarray]:
        if isinstance(self.layer, Layer):
            return self.layer.get_weights()
        return super().get_weights()

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        if isinstance(self.layer, Layer):
            self.layer.set_weights(weights)
        else:
            super().set_weights(weights)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "layer": serialize_layer(self.layer)}

    @classmethod
    def from_config(cls, config_dict: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Wrapper:
        config_dict = dict(config_dict)
        config_dict["layer"] = deserialize_layer(config_dict["layer"], custom_objects)
        return cls(**config_dict)
