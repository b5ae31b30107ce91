"""``LSTMCell``: one step of ``LSTM``."""

from __future__ import annotations

from typing import Any

from fitorch import activations
from fitorch.layers.recurrent.base_rnn_cell import BaseRNNCell
from fitorch.layers.recurrent.base_vector_rnn import BaseVectorRNN
from fitorch.layers.recurrent.lstm import LSTM


class LSTMCell(BaseRNNCell):
    """The cell of an LSTM: one step over the states ``[h, c]``, for ``RNN`` or your own loop.

    Use ``LSTM`` to run a whole sequence fast (fused kernel); use the cell inside
    ``RNN``/``StackedRNNCells`` or when you write the time loop yourself. Same math and
    weights as ``LSTM``.

    Args:
        units: positive int, size of the output and of each state.
        activation: for the cell candidate and the output (default ``'tanh'``).
        recurrent_activation: for the gates (default ``'sigmoid'``).
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: for the input kernel (default ``'glorot_uniform'``).
        recurrent_initializer: for the recurrent kernel (default ``'orthogonal'``).
        bias_initializer: default ``'zeros'``.
        unit_forget_bias: add 1 to the forget gate's bias at initialization
            (default ``True``).
        dropout: float in ``[0, 1)``, input dropout while training (default 0).
        recurrent_dropout: float in ``[0, 1)``, dropout on ``h`` while training (default 0).
        seed: optional int seeding the dropout masks.
        **kwargs: the ``Layer`` arguments (``name``, ``dtype`` ...).

    Call arguments:
        inputs: ``(batch, features)``, one step.
        states: ``[h, c]``, two ``(batch, units)`` tensors.
        training: optional bool, for dropout.

    Input shape:
        ``(batch, features)``.

    Output shape:
        ``(h, [h, c])``, each ``(batch, units)``. ``state_size`` is ``[units, units]``
        and ``output_size`` is ``units``.

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

    gates = 4
    state_count = 2

    # The same code as LSTM's (the gate math exists once).
    _build_biases = LSTM._build_biases
    _project_inputs = BaseVectorRNN._project_inputs
    _step = LSTM._step

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            units,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
        }
