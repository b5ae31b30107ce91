"""``StackedRNNCells``: a list of RNN cells run one after the other as a single cell."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from fitorch.layers.layer import Layer
from fitorch.layers.recurrent.base_rnn import Shape
from fitorch.layers.recurrent.base_wrapper import build_sublayer, deserialize_layer, serialize_layer


def check_cell(cell: Any, owner: str) -> None:
    """Raises a ``ValueError`` unless ``cell`` has Keras' cell API (``call`` and ``state_size``)."""
    if not callable(getattr(cell, "call", None)):
        raise ValueError(
            f"{owner}: every cell must have a `call(inputs, states)` method; received {type(cell).__name__}."
        )
    if not hasattr(cell, "state_size"):
        raise ValueError(
            f"{owner}: every cell must have a `state_size` attribute (an int, or a list of ints, one per "
            f"state); received {type(cell).__name__} without one."
        )


def call_cell(cell: Any, inputs: torch.Tensor, states: Any, training: bool) -> tuple[torch.Tensor, Any]:
    """``cell(inputs, states[, training])``: ``training`` only goes to cells whose ``call`` takes it."""
    kwargs = {"training": training} if "training" in inspect.signature(cell.call).parameters else {}
    function = cell if callable(cell) else cell.call
    return function(inputs, states, **kwargs)


def cell_output_size(cell: Any) -> int:
    """Keras' rule: ``output_size`` when the cell has one, else the size of its first state."""
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    state_size = cell.state_size
    while isinstance(state_size, (list, tuple)):
        state_size = state_size[0]
    return state_size


def cell_initial_state(cell: Any, batch_size: int, dtype: torch.dtype, device: Any) -> Any:
    """The cell's ``get_initial_state(batch_size)``, or zeros of its ``state_size``."""
    function = getattr(cell, "get_initial_state", None)
    if function is not None:
        return function(batch_size=batch_size)
    sizes = cell.state_size
    if isinstance(sizes, int):
        return torch.zeros((batch_size, sizes), dtype=dtype, device=device)
    return [torch.zeros((batch_size, s), dtype=dtype, device=device) for s in sizes]


class StackedRNNCells(Layer):
    """A stack of RNN cells that behaves as one cell: each cell's output is the next one's input.

    Use it inside ``RNN`` for a deep RNN run step by step (``RNN([cell1, cell2])``
    builds one for you). Its states are the list of every cell's states.

    Args:
        cells: a non-empty list of cells (``SimpleRNNCell``, ``LSTMCell``, ``GRUCell``
            or any object with ``call(inputs, states)`` and ``state_size``).
        **kwargs: the ``Layer`` arguments (``name``, ``dtype`` ...).

    Call arguments:
        inputs: ``(batch, features)``, one step.
        states: a list with each cell's states, in order.
        training: optional bool, passed to the cells that take it.

    Input shape:
        ``(batch, features)``.

    Output shape:
        ``(output, new_states)``: the last cell's output and the list of every cell's
        new states. ``state_size`` is the list of the cells' ``state_size``.

    Weights:
        The cells' weights, cell after cell (Keras' order).

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import GRUCell, LSTMCell, StackedRNNCells
        >>> cells = StackedRNNCells([LSTMCell(4), GRUCell(3)])
        >>> output, states = cells(torch.ones(2, 5), cells.get_initial_state(2))
        >>> output.shape, cells.state_size, [len(s) for s in states]
        (torch.Size([2, 3]), [[4, 4], 3], [2, 1])
    """

    def __init__(self, cells: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        owner = f"StackedRNNCells {self.name!r}"
        if isinstance(cells, (str, bytes)) or not isinstance(cells, Sequence) or not cells:
            raise ValueError(f"{owner}: cells must be a non-empty list of RNN cells; received {cells!r}.")
        for cell in cells:
            check_cell(cell, owner)
        self._cells = list(cells)
        for index, cell in enumerate(self._cells):
            if isinstance(cell, nn.Module):
                self.add_module(f"cell_{index}", cell)

    @property
    def cells(self) -> list[Any]:
        return list(self._cells)

    @property
    def state_size(self) -> list[Any]:
        return [cell.state_size for cell in self._cells]

    @property
    def output_size(self) -> int:
        return cell_output_size(self._cells[-1])

    def get_initial_state(self, batch_size: int | None = None) -> list[Any]:
        """Every cell's initial states, in a list."""
        weight = next(iter(self.parameters()), None)
        dtype = weight.dtype if weight is not None else torch.get_default_dtype()
        device = weight.device if weight is not None else None
        return [cell_initial_state(cell, batch_size or 0, dtype, device) for cell in self._cells]

    def build(self, input_shape: Shape) -> None:
        input_shape = tuple(input_shape)
        for cell in self._cells:
            build_sublayer(cell, input_shape, self._build_device)
            input_shape = (input_shape[0], cell_output_size(cell))

    def call(self, inputs: torch.Tensor, states: Sequence[Any], training: bool | None = None) -> tuple[Any, Any]:
        training = self.training if training is None else bool(training)
        if not isinstance(states, (list, tuple)) or len(states) != len(self._cells):
            received = len(states) if isinstance(states, (list, tuple)) else type(states).__name__
            raise ValueError(
                f"StackedRNNCells {self.name!r}: states must be a list with the states of each of the "
                f"{len(self._cells)} cells; received {received}."
            )
        new_states = []
        for cell, cell_states in zip(self._cells, states, strict=True):
            is_list = isinstance(cell_states, (list, tuple))
            inputs, cell_states = call_cell(cell, inputs, list(cell_states) if is_list else [cell_states], training)
            if not isinstance(cell_states, (list, tuple)):
                cell_states = [cell_states]
            new_states.append(list(cell_states) if is_list or len(cell_states) != 1 else cell_states[0])
        return inputs, new_states

    def compute_output_shape(self, input_shape: Shape, states_shape: Any = None) -> Any:
        batch = tuple(input_shape)[0]

        def shapes(size: Any) -> Any:
            return (batch, size) if isinstance(size, int) else [(batch, s) for s in size]

        return (batch, self.output_size), [shapes(s) for s in self.state_size]

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "cells": [serialize_layer(cell) for cell in self._cells]}

    @classmethod
    def from_config(cls, config_dict: dict[str, Any]) -> StackedRNNCells:
        config = dict(config_dict)
        cells = [deserialize_layer(cell) for cell in config.pop("cells")]
        return cls(cells, **config)
