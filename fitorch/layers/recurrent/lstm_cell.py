"""``LSTMCell``: one step of ``LSTM``."""

from __future__ import annotations

from fitorch.layers.recurrent.base_rnn_cell import BaseRNNCell, cell_doc_sections
from fitorch.layers.recurrent.base_vector_rnn import LSTM_ARGUMENTS, LSTMRecurrence
from fitorch.utils.docstrings import fill_doc


@fill_doc(
    **cell_doc_sections(
        "LSTM",
        LSTM_ARGUMENTS,
        "``[h, c]``, two ``(batch, units)`` tensors.",
        "``(h, [h, c])``, each ``(batch, units)``. ``state_size`` is ``[units, units]``\n"
        "    and ``output_size`` is ``units``.",
    )
)
class LSTMCell(LSTMRecurrence, BaseRNNCell):
    """The cell of an LSTM: one step over the states ``[h, c]``, for ``RNN`` or your own loop.

    {api}

    Weights:
        ``weight_ih`` ``(4 * units, features)``, ``weight_hh`` ``(4 * units, units)`` and
        ``bias`` ``(4 * units,)``, gates input, forget, cell, output; ``get_weights()``
        gives Keras' ``kernel``, ``recurrent_kernel`` and ``bias``.

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import LSTMCell
        >>> cell = LSTMCell(5)
        >>> h, (h2, c) = cell(torch.ones(2, 3), cell.get_initial_state(2))
        >>> h.shape, c.shape, cell.state_size
        (torch.Size([2, 5]), torch.Size([2, 5]), [5, 5])
    """
