"""``SimpleRNNCell``: one step of ``SimpleRNN``, ``output = activation(x W + h U + b)``."""

from __future__ import annotations

from fitorch.layers.recurrent.base_rnn_cell import BaseRNNCell, cell_doc_sections
from fitorch.layers.recurrent.base_vector_rnn import SIMPLE_RNN_ARGUMENTS, SimpleRNNRecurrence
from fitorch.utils.docstrings import fill_doc


@fill_doc(
    **cell_doc_sections(
        "SimpleRNN",
        SIMPLE_RNN_ARGUMENTS,
        "the previous state, ``(batch, units)``, or a list holding it.",
        "``(output, new_states)``: ``(batch, units)`` and the new state (a list when\n"
        "    ``states`` was a list). ``state_size`` and ``output_size`` are ``units``.",
    )
)
class SimpleRNNCell(SimpleRNNRecurrence, BaseRNNCell):
    """The cell of a fully connected RNN: one step, for ``RNN`` or your own loop.

    {api}

    Weights:
        ``weight_ih`` ``(units, features)``, ``weight_hh`` ``(units, units)`` and
        ``bias`` ``(units,)``; ``get_weights()`` gives Keras' ``kernel``,
        ``recurrent_kernel`` and ``bias``.

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import SimpleRNNCell
        >>> cell = SimpleRNNCell(4)
        >>> output, states = cell(torch.ones(2, 3), cell.get_initial_state(2))
        >>> output.shape, len(states), torch.equal(output, states[0])
        (torch.Size([2, 4]), 1, True)
    """
