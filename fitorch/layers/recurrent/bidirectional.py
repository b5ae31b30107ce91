"""``Bidirectional``: runs a recurrent layer forwards and a copy of it backwards, and merges them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from fitorch.layers.layer import Layer
from fitorch.layers.recurrent.base_rnn import BaseRNN, Shape
from fitorch.layers.recurrent.base_wrapper import build_sublayer, deserialize_layer, serialize_layer

MERGE_MODES = ("concat", "sum", "mul", "ave", None)


class Bidirectional(Layer):
    """Bidirectional wrapper: each step sees both its past (forward layer) and its future (backward layer).

    Use it for whole sequences known in advance (tagging, classification), not for
    generating one step at a time. ``layer`` is only a template: the wrapper creates
    ``forward_layer`` from its config (named ``forward_<name>``) and, unless
    ``backward_layer`` is given, ``backward_layer`` with ``go_backwards=True``
    (named ``backward_<name>``), as Keras does; the backward outputs are flipped back
    into time order before merging. With a mask and ``return_sequences``, masked steps
    output zeros in both directions (Keras' ``zero_output_for_mask``).

    Args:
        layer: a recurrent layer (``SimpleRNN``, ``LSTM``, ``GRU``, ``ConvLSTM2D``)
            with ``go_backwards=False``.
        merge_mode: how to combine the two outputs: ``'concat'`` (default), ``'sum'``,
            ``'mul'``, ``'ave'``, or ``None`` to return both, ``(forward, backward)``.
        backward_layer: optional recurrent layer for the backward direction; it
            must have ``go_backwards=True`` and the same ``return_sequences``,
            ``return_state`` and ``stateful`` as ``layer``.

    Call arguments:
        sequences: the input sequences.
        initial_state: optional list of the forward layer's states followed by the
            backward layer's.
        mask: optional ``(batch, timesteps)`` boolean tensor, given to both layers.
        training: optional bool, for dropout.

    Input shape:
        The wrapped layer's.

    Output shape:
        The wrapped layer's, with the last axis doubled for ``'concat'``; a list of
        tuple of both outputs for ``merge_mode=None``. With ``return_state``, the output(s)
        are followed by the forward states, then the backward states.

    Weights:
        The forward layer's, then the backward layer's (``forward_layer.weight_ih``
        ... in the ``state_dict``).

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import LSTM, Bidirectional
        >>> layer = Bidirectional(LSTM(8, return_sequences=True, name="encoder"))
        >>> layer(torch.ones(2, 5, 3)).shape
        torch.Size([2, 5, 16])
        >>> layer.forward_layer.name, layer.backward_layer.go_backwards
        ('forward_encoder', True)
    """

    supports_masking = True

    def __init__(
        self,
        layer: BaseRNN,
        merge_mode: str | None = "concat",
        backward_layer: BaseRNN | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = f"Bidirectional {self.name!r}"
        for argument, value in (("layer", layer), ("backward_layer", backward_layer)):
            if value is not None and not isinstance(value, BaseRNN):
                raise ValueError(
                    f"{owner}: {argument} must be a recurrent layer (SimpleRNN, LSTM, GRU, ConvLSTM2D); received "
                    f"{value!r} of type {type(value).__name__}."
                )
        if merge_mode not in MERGE_MODES:
            raise ValueError(
                f"{owner}: merge_mode must be one of 'concat', 'sum', 'mul', 'ave' or None; received "
                f"merge_mode={merge_mode!r}."
            )
        # Fresh copies from the config, so the wrapper carries none of the template's state.
        base_name = layer.name.removeprefix("forward_")
        self.forward_layer = type(layer).from_config({**layer.get_config(), "name": f"forward_{base_name}"})
        if backward_layer is None:
            backward_config = {**layer.get_config(), "name": f"backward_{base_name}", "go_backwards": True}
            backward_layer = type(layer).from_config(backward_config)
        self.backward_layer = backward_layer
        self._check_directions(owner)
        self.merge_mode = merge_mode
        for direction in (self.forward_layer, self.backward_layer):
            direction.zero_output_for_mask = direction.return_sequences  # as Keras forces it
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = layer.stateful
        self.input_spec = layer.input_spec

    def _check_directions(self, owner: str) -> None:
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                f"{owner}: the forward and backward layers must have different go_backwards; received "
                f"forward_layer.go_backwards={forward.go_backwards}, backward_layer.go_backwards="
                f"{backward.go_backwards}. Wrap a layer with go_backwards=False."
            )
        for attribute in ("stateful", "return_sequences", "return_state"):
            ours, theirs = getattr(forward, attribute), getattr(backward, attribute)
            if ours != theirs:
                raise ValueError(
                    f"{owner}: the forward and backward layers must have the same {attribute}; received "
                    f"{ours} for the forward layer and {theirs} for the backward layer."
                )

    def build(self, input_shape: Shape) -> None:
        for direction in (self.forward_layer, self.backward_layer):
            build_sublayer(direction, tuple(input_shape), self._pinned_device or self._build_device)
        self.input_spec = self.forward_layer.input_spec

    def call(
        self,
        sequences: torch.Tensor,
        initial_state: Sequence[torch.Tensor] | None = None,
        mask: torch.Tensor | None = None,
        training: bool | None = None,
    ) -> torch.Tensor | tuple[torch.Tensor, ...]:
        forward_state = backward_state = None
        if initial_state is not None:
            initial_state = list(initial_state)
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, mask=mask, training=training)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, mask=mask, training=training)
        states: tuple[torch.Tensor, ...] = ()
        if self.return_state:
            states = (*y[1:], *y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev.flip(1)  # back into time order
        if self.merge_mode == "concat":
            outputs: tuple[torch.Tensor, ...] = (torch.cat([y, y_rev], dim=-1),)
        elif self.merge_mode == "sum":
            outputs = (y + y_rev,)
        elif self.merge_mode == "ave":
            outputs = ((y + y_rev) / 2,)
        elif self.merge_mode == "mul":
            outputs = (y * y_rev,)
        else:
            outputs = (y, y_rev)
        if self.return_state:
            return (*outputs, *states)
        return outputs[0] if self.merge_mode is not None else outputs

    # ------------------------------------------------------------------ shapes & masks
    def compute_output_shape(self, input_shape: Shape) -> Any:
        shape = self.forward_layer.compute_output_shape(input_shape)
        states: tuple[Shape, ...] = ()
        if self.return_state:
            shape, states = shape[0], tuple(shape[1:])
        if self.merge_mode == "concat":
            last = shape[-1]
            shape = (*shape[:-1], None if last is None else 2 * last)
        outputs = (shape,) if self.merge_mode is not None else (shape, shape)
        if self.return_state:
            return (*outputs, *states, *states)
        return outputs[0] if self.merge_mode is not None else outputs

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        output_masks = [output_mask] if self.merge_mode is not None else [output_mask, output_mask]
        if self.return_state:  # one entry per output, the states unmasked
            return [*output_masks, *[None] * (2 * self.forward_layer.state_count)]
        return output_mask if self.merge_mode is not None else output_masks

    # ------------------------------------------------------------------ states & weights
    @property
    def states(self) -> list[torch.Tensor] | None:
        """The kept states of both directions (forward first) of a stateful layer, or ``None``."""
        forward, backward = self.forward_layer.states, self.backward_layer.states
        return forward + backward if forward is not None and backward is not None else None

    def reset_states(self) -> None:
        """Clears the kept states of both directions.

        Raises:
            AttributeError: if the wrapped layer is not stateful (Keras' error).
        """
        if not self.stateful:
            raise AttributeError(f"Bidirectional {self.name!r}: reset_states() needs a stateful layer.")
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    reset_state = reset_states

    def get_weights(self) -> list[np.ndarray]:
        """The forward layer's Keras weights, then the backward layer's."""
        return self.forward_layer.get_weights() + self.backward_layer.get_weights()

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Sets the forward layer's Keras weights, then the backward layer's; nothing changes on error."""
        count = len(self.forward_layer.get_weights())
        expected = count + len(self.backward_layer.get_weights())
        if len(weights) != expected:
            raise ValueError(f"Layer {self.name!r}: set_weights expected {expected} arrays, received {len(weights)}.")
        previous = self.forward_layer.get_weights()
        self.forward_layer.set_weights(weights[:count])
        try:
            self.backward_layer.set_weights(weights[count:])
        except Exception:
            self.forward_layer.set_weights(previous)  # keep set_weights all-or-nothing
            raise

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "layer": serialize_layer(self.forward_layer),
            "merge_mode": self.merge_mode,
            "backward_layer": serialize_layer(self.backward_layer),
        }

    @classmethod
    def from_config(cls, config_dict: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Bidirectional:
        config_dict = dict(config_dict)
        config_dict["layer"] = deserialize_layer(config_dict["layer"], custom_objects)
        if config_dict.get("backward_layer") is not None:
            config_dict["backward_layer"] = deserialize_layer(config_dict["backward_layer"], custom_objects)
        return cls(**config_dict)

    def extra_repr(self) -> str:
        return f"name={self.name!r}, merge_mode={self.merge_mode!r}"
