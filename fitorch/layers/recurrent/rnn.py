"""``RNN``: runs any RNN cell (or a list of cells) over the time axis, step by step, as Keras' ``RNN``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from fitorch.layers.recurrent.base_rnn import BaseRNN, Shape
from fitorch.layers.recurrent.base_wrapper import build_sublayer, deserialize_layer, serialize_layer
from fitorch.layers.recurrent.stacked_rnn_cells import (
    StackedRNNCells,
    call_cell,
    cell_initial_state,
    cell_output_size,
    check_cell,
)


def _flatten(structure: Any) -> list[Any]:
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in _flatten(item)]
    return [structure]


def _template(structure: Any) -> Any:
    """The nesting of ``structure`` with ``None`` leaves."""
    if isinstance(structure, (list, tuple)):
        return [_template(item) for item in structure]
    return None


def _pack(template: Any, leaves: Any) -> Any:
    """Rebuilds ``template``'s nesting from an iterator of leaves."""
    if template is None:
        return next(leaves)
    return [_pack(item, leaves) for item in template]


class RNN(BaseRNN):
    """Base class for recurrent layers: runs a cell over every step of a sequence.

    Use it to run your own cell (any object with ``call(inputs, states)``,
    ``state_size`` and optionally ``output_size`` and ``get_initial_state``), a
    fitorch cell (``SimpleRNNCell``, ``LSTMCell``, ``GRUCell``), or a list of cells
    (wrapped in ``StackedRNNCells``). It runs a per-step Python loop; for the built-in
    cells, ``SimpleRNN``/``LSTM``/``GRU`` compute the same thing faster.

    Args:
        cell: an RNN cell, or a list of cells (stacked: each cell's output is the next
            cell's input).
        return_sequences: return the output of every step, ``(batch, timesteps,
            output_size)``, instead of the last one (default ``False``).
        return_state: also return the final states, as ``(output, *states)``; with
            stacked cells, each cell's states (default ``False``).
        go_backwards: process the sequence from its end; the returned sequence is then
            in processing (reversed) order, as in Keras (default ``False``).
        stateful: keep the final states of each batch as the initial states of the
            next one; ``reset_states()`` clears them (default ``False``).
        unroll: accepted for Keras compatibility; the loop always runs in Python
            (default ``False``).
        zero_output_for_mask: masked steps output zeros instead of repeating the
            previous output (default ``False``).
        **kwargs: the ``Layer`` arguments (``name``, ``dtype`` ...).

    Call arguments:
        sequences: ``(batch, timesteps, ...)``; each step ``(batch, ...)`` goes to the cell.
        initial_state: optional tensor or (nested) list of tensors, the cell's initial
            states; default the cell's ``get_initial_state`` (or zeros).
        mask: optional boolean ``(batch, timesteps)``; a masked step keeps the states
            and repeats the previous output. It arrives by itself after
            ``Embedding(mask_zero=True)``.
        training: optional bool, passed to cells whose ``call`` takes ``training``.

    Input shape:
        ``(batch, timesteps, ...)``.

    Output shape:
        ``(batch, output_size)``, or ``(batch, timesteps, output_size)`` with
        ``return_sequences``; with ``return_state``, ``(output, *states)``.

    Weights:
        The cell's weights (``get_weights()`` gives Keras' order and layout).

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import RNN, GRUCell, LSTMCell
        >>> layer = RNN(LSTMCell(4), return_sequences=True, return_state=True)
        >>> sequence, h, c = layer(torch.ones(2, 7, 3))
        >>> sequence.shape, h.shape, torch.equal(sequence[:, -1], h)
        (torch.Size([2, 7, 4]), torch.Size([2, 4]), True)
        >>> RNN([LSTMCell(4), GRUCell(2)])(torch.ones(2, 7, 3)).shape
        torch.Size([2, 2])
    """

    def __init__(
        self,
        cell: Any,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs: Any,
    ) -> None:
        for keras_only in ("dropout", "recurrent_dropout", "seed", "use_cudnn"):
            if keras_only in kwargs:
                raise TypeError(
                    f"RNN: unexpected argument {keras_only}={kwargs[keras_only]!r}; dropout belongs to the cell "
                    "(e.g. LSTMCell(units, dropout=0.2))."
                )
        super().__init__(
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            zero_output_for_mask=zero_output_for_mask,
            use_cudnn=False,
            **kwargs,
        )
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        check_cell(cell, self._owner)
        state_size = cell.state_size
        if (
            not isinstance(state_size, (int, list, tuple))
            or not _flatten(state_size)
            or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in _flatten(state_size))
        ):
            raise ValueError(
                f"{self._owner}: the cell's state_size must be a positive int or a (nested) list of them, one per "
                f"state; received state_size={state_size!r}."
            )
        self.cell = cell
        self._structure: Any = None
        self._training_now = False

    # ------------------------------------------------------------------ BaseRNN hooks
    @property
    def state_size(self) -> list[Any]:
        """Keras' ``RNN.state_size``: the cell's, as a list."""
        size = self.cell.state_size
        return [size] if isinstance(size, int) else list(size)

    def _state_tails(self) -> list[tuple[int, ...]]:
        return [(size,) for size in _flatten(self.cell.state_size)]

    def _output_tail(self, input_shape: Shape) -> tuple[int | None, ...]:
        return (cell_output_size(self.cell),)

    def _project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs  # the cell projects its inputs itself

    def _step(
        self, projected: torch.Tensor, states: list[torch.Tensor], recurrent_mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        nested = _pack(self._structure, iter(states))
        output, new_states = call_cell(self.cell, projected, nested, self._training_now)
        flat = _flatten(new_states)
        if len(flat) != len(states):
            raise ValueError(
                f"{self._owner}: the cell returned {len(flat)} state tensor(s); its state_size "
                f"{self.cell.state_size!r} says {len(states)}."
            )
        return output, flat

    # ------------------------------------------------------------------ building & calling
    def build(self, input_shape: Shape) -> None:
        input_shape = tuple(input_shape)
        if len(input_shape) < 3:
            raise ValueError(
                f"{self._owner}: the input must be (batch, timesteps, ...), at least 3 axes; received shape "
                f"{input_shape}."
            )
        build_sublayer(self.cell, (input_shape[0], *input_shape[2:]), self._build_device)

    def get_initial_state(self, batch_size: int) -> list[Any]:
        """The cell's initial states (its ``get_initial_state``, or zeros), as a list."""
        like = next(iter(self.parameters()), None)
        dtype = like.dtype if like is not None else torch.get_default_dtype()
        device = like.device if like is not None else None
        states = cell_initial_state(self.cell, batch_size, dtype, device)
        return list(states) if isinstance(states, (list, tuple)) else [states]

    def call(
        self,
        sequences: torch.Tensor,
        initial_state: torch.Tensor | Sequence[Any] | None = None,
        mask: torch.Tensor | None = None,
        training: bool | None = None,
    ) -> torch.Tensor | tuple[Any, ...]:
        self._training_now = self.training if training is None else bool(training)
        if initial_state is None and not (self.stateful and self._states is not None):
            initial_state = self.get_initial_state(sequences.shape[0])
        if initial_state is not None:
            if isinstance(initial_state, (torch.Tensor, np.ndarray)):
                initial_state = [initial_state]
            self._structure = _template(list(initial_state))
            initial_state = _flatten(initial_state)
        try:
            result = super().call(sequences, initial_state=initial_state, mask=mask, training=training)
        finally:
            _reset_dropout_masks(self.cell)
        if not self.return_state:
            return result
        output, *states = result
        return (output, *_pack(self._structure, iter(states)))

    # ------------------------------------------------------------------ shapes, masks & config
    def compute_output_shape(self, input_shape: Shape) -> Shape | tuple[Any, ...]:
        input_shape = tuple(input_shape)
        batch = input_shape[0]
        tail = self._output_tail(input_shape)
        output = (input_shape[0], input_shape[1], *tail) if self.return_sequences else (batch, *tail)
        if not self.return_state:
            return output
        template = self._structure if self._structure is not None else self._default_structure()
        sizes = iter(_flatten(self.cell.state_size))
        shapes = _pack(template, ((batch, next(sizes)) for _ in range(len(_flatten(template)))))
        return (output, *shapes)

    def _default_structure(self) -> Any:
        if not getattr(self.cell, "built", True):
            # Nesting only: a meta-device probe of get_initial_state would need built weights.
            size = self.cell.state_size
            return [None] if isinstance(size, int) else _template(list(size))
        return _template(self.get_initial_state(1))

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask, *(None for _ in self.state_size)]
        return output_mask

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        for internal in ("dropout", "recurrent_dropout", "seed", "use_cudnn"):
            config.pop(internal, None)
        return {**config, "cell": serialize_layer(self.cell)}

    @classmethod
    def from_config(cls, config_dict: dict[str, Any]) -> RNN:
        config = dict(config_dict)
        cell = deserialize_layer(config.pop("cell"))
        return cls(cell, **config)


def _reset_dropout_masks(cell: Any) -> None:
    """Keras: the cells' dropout masks are drawn once per sequence and forgotten after it."""
    for function in ("reset_dropout_mask", "reset_recurrent_dropout_mask"):
        reset = getattr(cell, function, None)
        if callable(reset):
            reset()
    for inner in getattr(cell, "cells", None) or []:
        _reset_dropout_masks(inner)
