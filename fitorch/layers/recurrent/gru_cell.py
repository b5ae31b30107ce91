"""``GRUCell``: one step of ``GRU``."""

from __future__ import annotations

from typing import Any

from fitorch import activations
from fitorch.layers.recurrent.base_rnn_cell import BaseRNNCell
from fitorch.layers.recurrent.gru import GRU


class GRUCell(BaseRNNCell):
    """The cell of a GRU: one step over a single state, for ``RNN`` or your own loop.

    Use ``GRU`` to run a whole sequence fast (fused kernel); use the cell inside
    ``RNN``/``StackedRNNCells`` or when you write the time loop yourself. Same math and
    weights as ``GRU``.

    Args:
        units: positive int, size of the output and of the state.
        activation: for the candidate state (default ``'tanh'``).
        recurrent_activation: for the gates (default ``'sigmoid'``).
        use_bias: whether to add biases (default ``True``).
        kernel_initializer: for the input kernel (default ``'glorot_uniform'``).
        recurrent_initializer: for the recurrent kernel (default ``'orthogonal'``).
        bias_initializer: default ``'zeros'``.
        dropout: float in ``[0, 1)``, input dropout while training (default 0).
        recurrent_dropout: float in ``[0, 1)``, state dropout while training (default 0).
        reset_after: apply the reset gate after the recurrent matmul (default
            ``True``), with separate input and recurrent biases.
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

    gates = 3
    state_count = 1

    # The same code as GRU's (the gate math and the Keras gate order exist once).
    _build_biases = GRU._build_biases
    _project_inputs = GRU._project_inputs
    _step = GRU._step
    get_weights = GRU.get_weights
    set_weights = GRU.set_weights
    _keras_targets = GRU._keras_targets

    def __init__(
        self,
        units: int,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        reset_after: bool = True,
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
        self.reset_after = bool(reset_after)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "reset_after": self.reset_after,
        }
