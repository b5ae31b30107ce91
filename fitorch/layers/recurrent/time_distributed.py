"""``TimeDistributed``: applies one layer to every timestep, folding time into the batch."""

from __future__ import annotations

import inspect
from typing import Any

import torch
from torch import nn

from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer, is_shape
from fitorch.layers.recurrent.base_wrapper import Shape, Wrapper, build_sublayer
from fitorch.utils.tree import map_structure


class TimeDistributed(Wrapper):
    """Applies the same layer (same weights) to every temporal slice of its input.

    Use it to run a per-frame layer over a sequence, e.g. a ``Conv2D`` over the
    frames of a video ``(batch, time, height, width, channels)`` or a ``Dense`` head
    over every step of an RNN's output. Instead of looping over time as Keras 3
    does, it folds the time axis into the batch (a view for contiguous inputs) and
    calls the layer once, which is one kernel launch instead of ``timesteps``. This
    is identical for layers that treat samples independently (all but
    ``BatchNormalization`` in training mode, whose batch statistics then cover all
    steps at once, as in Keras 2).

    Args:
        layer: the layer to apply: a fitorch ``Layer`` or any ``nn.Module`` (only a
            fitorch layer can be serialized with ``get_config``).

    Call arguments:
        inputs: ``(batch, timesteps, ...)``.
        training: optional bool, passed on when the layer's call takes it.
        mask: optional mask of shape ``(batch, timesteps, ...)``, passed on (with the
            time axis folded into the batch) when the layer's call takes one; the
            output keeps it.

    Input shape:
        ``(batch, timesteps, *inner_input_shape)``, rank 3 or more.

    Output shape:
        ``(batch, timesteps, *inner_output_shape)``.

    Weights:
        The wrapped layer's.

    Example:
        >>> import torch
        >>> from fitorch import layers
        >>> from fitorch.layers.recurrent import TimeDistributed
        >>> layer = TimeDistributed(layers.Conv2D(8, 3))
        >>> layer(torch.ones(2, 10, 16, 16, 3)).shape
        torch.Size([2, 10, 14, 14, 8])
    """

    supports_masking = True

    def __init__(self, layer: nn.Module, **kwargs: Any) -> None:
        super().__init__(layer, **kwargs)
        call = layer.call if isinstance(layer, Layer) else layer.forward
        parameters = inspect.signature(call).parameters
        self._passes_training = "training" in parameters
        self._passes_mask = "mask" in parameters
        self.input_spec = InputSpec(min_ndim=3)

    def _child_shape(self, input_shape: Shape) -> Shape:
        input_shape = tuple(input_shape)
        if len(input_shape) < 3:
            raise ValueError(
                f"TimeDistributed {self.name!r}: expected an input of rank >= 3, (batch, timesteps, ...); "
                f"received shape {input_shape}."
            )
        batch, steps = input_shape[:2]
        return (None if batch is None or steps is None else batch * steps, *input_shape[2:])

    def build(self, input_shape: Shape) -> None:
        build_sublayer(self.layer, self._child_shape(input_shape), self._pinned_device or self._build_device)

    def call(self, inputs: torch.Tensor, training: bool | None = None, mask: torch.Tensor | None = None) -> Any:
        if inputs.ndim < 3:
            self._child_shape(tuple(inputs.shape))  # raises the rank error
        batch, steps = inputs.shape[:2]
        kwargs: dict[str, Any] = {}
        if training is not None and self._passes_training:
            kwargs["training"] = training
        if mask is not None:
            self._check_mask(mask, inputs)
            if self._passes_mask:
                kwargs["mask"] = mask.flatten(0, 1)
        outputs = self.layer(inputs.flatten(0, 1), **kwargs)  # (B, T, ...) -> (B * T, ...)
        return map_structure(lambda y: y.unflatten(0, (batch, steps)), outputs)  # (B * T, ...) -> (B, T, ...)

    def _check_mask(self, mask: torch.Tensor, inputs: torch.Tensor) -> None:
        if mask.ndim < 2 or tuple(mask.shape[:2]) != tuple(inputs.shape[:2]):
            raise ValueError(
                f"TimeDistributed {self.name!r}: the mask must start with the input's (batch, timesteps) = "
                f"{tuple(inputs.shape[:2])}; received mask shape {tuple(mask.shape)}."
            )

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        if not isinstance(self.layer, Layer):
            raise NotImplementedError  # a plain module: inferred on the meta device
        child = self.layer.compute_output_shape(self._child_shape(input_shape))
        if not is_shape(child):
            raise NotImplementedError  # several outputs: inferred on the meta device
        return (input_shape[0], input_shape[1], *child[1:])
