"""``GRUCell``: one step of ``GRU``."""

from __future__ import annotations

from fitorch.layers.recurrent.base_rnn_cell import BaseRNNCell, cell_doc_sections
from fitorch.layers.recurrent.base_vector_rnn import GRU_ARGUMENTS, GRURecurrence
from fitorch.utils.docstrings import fill_doc


@fill_doc(
    **cell_doc_sections(
        "GRU",
        GRU_ARGUMENTS,
        "the previous state, ``(batch, units)``, or a list holding it.",
        "``(output, new_states)``: ``(batch, units)`` and the new state (a list when\n"
        "    ``states`` was a list). ``state_size`` and ``output_size`` are ``units``.",
    )
)
class GRUCell(GRURecurrence, BaseRNNCell):
    """The cell of a GRU: one step over a single state, for ``RNN`` or your own loop.

    {api}

    Weights:
        As ``GRU``'s: torch layout and gate order inside, Keras' ``kernel``,
        ``recurrent_kernel`` and ``bias`` ``(2, 3 * units)`` (or ``(3 * units,)``
        with ``reset_after=False``) through ``get_weights()``/``set_weights()``.

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import GRUCell
        >>> cell = GRUCell(4)
        >>> output, state = cell(torch.ones(2, 3), torch.zeros(2, 4))
        >>> output.shape, [w.shape for w in cell.get_weights()]
        (torch.Size([2, 4]), [(3, 12), (4, 12), (2, 12)])
    """
