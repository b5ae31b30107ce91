"""``SimpleRNNCell``: one step of ``SimpleRNN``, ``output = activation(x W + h U + b)``."""

from __future__ import annotations

from typing import Any

from fitorch.layers.recurrent.base_rnn_cell import BaseRNNCell
from fitorch.layers.recurrent.base_vector_rnn import BaseVectorRNN
from fitorch.layers.recurrent.simple_rnn import SimpleRNN


class SimpleRNNCell(BaseRNNCell):
    """The cell of a fully connected RNN: one step, for ``RNN`` or your own loop.

    Use ``SimpleRNN`` to run a whole sequence fast (fused kernel); use the cell inside
    ``RNN``/``StackedRNNCells`` or when you write the time loop yourself. Same math and
    weights as ``SimpleRNN``.

    Args:
        units: positive int, size of the output and of the state.
        activation: default ``'tanh'``; ``None`` is linear.
        use_bias: whether to add a bias (default ``True``).
        kernel_initializer: for the input kernel (default ``'glorot_uniform'``).
        recurrent_initializer: for the recurrent kernel (default ``'orthogonal'``).
        bias_initializer: default ``'zeros'``.
        dropout: float in ``[0, 1)``, input dropout while training (default 0).
        recurrent_dropout: float in ``[0, 1)``, state dropout while training (default 0).
        seed: optional int seeding the dropout masks.
        **kwargs: the ``Layer`` arguments (``name``, ``dtype`` ...).

    Call arguments:
        inputs: ``(batch, features)``, one step.
        states: the previous state, ``(batch, units)``, or a list holding it.
        training: optional bool, for dropout.

    Input shape:
        ``(batch, features)``.

    Output shape:
        ``(output, new_states)``: ``(batch, units)`` and the new state (a list when
        ``states`` was a list). ``state_size`` and ``output_size`` are ``units``.

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

    gates = 1
    state_count = 1

    # The same code as SimpleRNN's (the gate math exists once).
    _build_biases = BaseVectorRNN._build_biases
    _project_inputs = BaseVectorRNN._project_inputs
    _step = SimpleRNN._step

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
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
