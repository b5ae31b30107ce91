"""``BaseRNNCell``: the shared parent of ``SimpleRNNCell``, ``LSTMCell`` and ``GRUCell``.

A cell computes one step of a recurrent layer: ``call(inputs, states, training=None)``
returns ``(output, new_states)``. ``RNN`` runs a cell over the time axis.

A cell and its layer inherit the same recurrence (``LSTMCell(LSTMRecurrence,
BaseRNNCell)``, see ``base_vector_rnn``), so they have the same arguments, the same
weights (torch layout inside, Keras layout through ``get_weights``) and the very same
step code. This class adds what only a cell has: the Keras cell API (``state_size``,
``output_size``, ``get_initial_state``) and dropout masks kept across the steps of a
sequence.
"""

from __future__ import annotations

import textwrap
from typing import Any

import torch

from fitorch.layers.recurrent.base_recurrent import Shape
from fitorch.layers.recurrent.base_vector_rnn import BaseVectorRecurrence

# Docstring sections of the public cells (filled in by ``fitorch.utils.docstrings.fill_doc``).
CELL_ARGUMENTS = """\
dropout: float in ``[0, 1)``, input dropout while training (default 0); the mask is
    kept until ``reset_dropout_mask()`` (``RNN`` resets it after each sequence).
recurrent_dropout: float in ``[0, 1)``, state dropout while training (default 0),
    kept until ``reset_recurrent_dropout_mask()``.
seed: optional int seeding the dropout masks.
**kwargs: the ``Layer`` arguments (``name``, ``dtype`` ...).
"""


def cell_doc_sections(layer: str, arguments: str, states: str, output: str) -> dict[str, str]:
    """The ``{api}`` docstring section of a cell (for ``fill_doc``): when to use it, Args to Output shape.

    Args:
        layer: the name of the layer running the same recurrence over a sequence.
        arguments: the ``Args`` lines of its recurrence (``LSTM_ARGUMENTS`` ...).
        states: what the ``states`` call argument is.
        output: what a call returns.
    """
    api = (
        f"Use ``{layer}`` to run a whole sequence fast (fused kernel); use the cell inside\n"
        "``RNN``/``StackedRNNCells`` or when you write the time loop yourself. Same math and\n"
        f"weights as ``{layer}``.\n\n"
        "Args:\n"
        f"{textwrap.indent(arguments + CELL_ARGUMENTS, '    ')}\n"
        "Call arguments:\n"
        "    inputs: ``(batch, features)``, one step.\n"
        f"    states: {states}\n"
        "    training: optional bool, for dropout.\n\n"
        "Input shape:\n"
        "    ``(batch, features)``.\n\n"
        "Output shape:\n"
        f"    {output}\n"
    )
    return {"api": api}


class BaseRNNCell(BaseVectorRecurrence):
    """Abstract cell on ``(batch, features)`` inputs with ``units``-sized states.

    The public cells combine it with their recurrence, e.g.
    ``LSTMCell(LSTMRecurrence, BaseRNNCell)``, which gives the arguments and the step.
    """

    _input_ndim = 2
    # The dropout masks of the current sequence: drawn at its first training step, kept
    # until reset (``RNN`` resets them after each sequence, as Keras does).
    _input_mask: torch.Tensor | None = None
    _recurrent_mask: torch.Tensor | None = None

    @property
    def state_size(self) -> int | list[int]:
        """Keras' ``state_size``: ``units``, or ``[units, units]`` for the LSTM cell."""
        return self.units if self.state_count == 1 else [self.units] * self.state_count

    @property
    def output_size(self) -> int:
        return self.units

    def get_initial_state(self, batch_size: int | None = None) -> list[torch.Tensor]:
        """Zero states, ``[(batch_size, units)] * state_count``, in the cell's dtype and device."""
        weight = next(iter(self.parameters()), None)
        dtype = weight.dtype if weight is not None else torch.get_default_dtype()
        device = weight.device if weight is not None else None
        return [torch.zeros((batch_size or 0, self.units), dtype=dtype, device=device) for _ in range(self.state_count)]

    def reset_dropout_mask(self) -> None:
        """Forgets the input dropout mask; the next training call draws a new one."""
        self._input_mask = None

    def reset_recurrent_dropout_mask(self) -> None:
        """Forgets the recurrent dropout mask; the next training call draws a new one."""
        self._recurrent_mask = None

    def call(
        self, inputs: torch.Tensor, states: torch.Tensor | list[torch.Tensor], training: bool | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | list[torch.Tensor]]:
        training = self.training if training is None else bool(training)
        given_list = isinstance(states, (list, tuple))
        state_list = list(states) if given_list else [states]
        if len(state_list) != self.state_count:
            raise ValueError(
                f"{self._owner}: states must be a list of {self.state_count} tensor(s) of shape (batch, "
                f"{self.units}); received {len(state_list)}."
            )
        recurrent_mask = None
        if training and self.dropout > 0.0:
            if self._input_mask is None or self._input_mask.shape != inputs.shape:
                self._input_mask = self._dropout_mask(inputs.shape, self.dropout, inputs)
            inputs = inputs * self._input_mask
        if training and self.recurrent_dropout > 0.0:
            h = state_list[0]
            if self._recurrent_mask is None or self._recurrent_mask.shape != h.shape:
                self._recurrent_mask = self._dropout_mask(h.shape, self.recurrent_dropout, h)
            recurrent_mask = self._recurrent_mask
        output, new_states = self._step(self._project_inputs(inputs), state_list, recurrent_mask)
        if not given_list and self.state_count == 1:
            return output, new_states[0]
        return output, new_states

    def compute_output_shape(self, input_shape: Shape, states_shape: Any = None) -> Any:
        batch = tuple(input_shape)[0]
        states = [(batch, self.units) for _ in range(self.state_count)]
        return (batch, self.units), states

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
