"""``GRU``: Gated Recurrent Unit (Cho et al., 2014), on torch's fused kernel when ``reset_after=True``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from fitorch import activations
from fitorch.layers.recurrent.base_rnn import SIGMOID, TANH, FusedKernel
from fitorch.layers.recurrent.base_vector_rnn import BaseVectorRNN


class GRU(BaseVectorRNN):
    """Gated Recurrent Unit: an update and a reset gate over a single state.

    Use it like ``LSTM`` (it is often as accurate with fewer weights). The default,
    ``reset_after=True`` (Keras 3's and cuDNN's variant, which applies the reset gate
    after the recurrent matmul), runs torch's fused GRU kernel with the default
    activations and no ``recurrent_dropout``; ``reset_after=False`` (the original
    paper's variant) and other configurations run a per-step loop.

    Args:
        units: positive int, size of the output and of the state.
        activation: for the candidate state (default ``'tanh'``).
        recurrent_activation: for the gates (default ``'sigmoid'``).
        use_bias: whether to add biases (default ``True``).
        kernel_initializer: for the input kernel (default ``'glorot_uniform'``).
        recurrent_initializer: for the recurrent kernel (default ``'orthogonal'``).
        bias_initializer: default ``'zeros'``.
        dropout: float in ``[0, 1)``, input dropout while training (default 0).
        recurrent_dropout: float in ``[0, 1)``, recurrent-state dropout while training
            (default 0); it forces the per-step loop.
        seed: optional int seeding the dropout masks.
        return_sequences: return every step's output (default ``False``).
        return_state: also return the final state (default ``False``).
        go_backwards: process the sequence backwards and return it reversed
            (default ``False``).
        stateful: carry the final state into the next batch (default ``False``).
        unroll: accepted for Keras compatibility (default ``False``).
        reset_after: apply the reset gate after the recurrent matmul (default
            ``True``), with separate input and recurrent biases.
        use_cudnn: ``'auto'`` (default), ``True`` or ``False``: whether to use the
            fused kernel (see ``BaseRNN``).
        **kwargs: ``zero_output_for_mask`` and the ``Layer`` arguments.

    Call arguments:
        sequences: ``(batch, timesteps, features)``.
        initial_state: optional ``(batch, units)`` tensor (or a list holding it).
        mask: optional ``(batch, timesteps)`` boolean tensor; masked steps keep the
            previous state and output. Received automatically from
            ``Embedding(mask_zero=True)``.
        training: optional bool, for dropout.

    Input shape:
        ``(batch, timesteps, features)``.

    Output shape:
        ``(batch, units)``, or ``(batch, timesteps, units)`` with
        ``return_sequences``; with ``return_state``, ``(output, state)``.

    Weights:
        Torch's layout and gate order (reset, update, new), as in ``nn.GRUCell``,
        whose ``state_dict`` they load into when ``reset_after=True``: ``weight_ih``
        ``(3 * units, features)``, ``weight_hh`` ``(3 * units, units)``, and
        ``bias_ih``/``bias_hh`` ``(3 * units,)`` (``reset_after=True``) or one
        ``bias`` ``(3 * units,)``. ``get_weights()``/``set_weights()`` speak Keras:
        ``kernel`` ``(features, 3 * units)`` and ``recurrent_kernel`` in Keras' gate
        order (update, reset, candidate), and ``bias`` ``(2, 3 * units)`` (input and
        recurrent rows) or ``(3 * units,)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import GRU
        >>> layer = GRU(6, return_sequences=True)
        >>> layer(torch.ones(2, 12, 3)).shape
        torch.Size([2, 12, 6])
        >>> [w.shape for w in layer.get_weights()]  # Keras' weights
        [(3, 18), (6, 18), (2, 18)]
    """

    gates = 3
    state_count = 1

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
        seed: int | None = None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        reset_after: bool = True,
        use_cudnn: str | bool = "auto",
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
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            use_cudnn=use_cudnn,
            **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)

    def _build_biases(self) -> None:
        if not self.use_bias:
            self.bias = self.bias_ih = self.bias_hh = None
        elif self.reset_after:  # torch's two biases are the rows of Keras' (2, 3 * units) bias
            self.bias = None
            self.add_weight("bias_ih", (3 * self.units,), self.bias_initializer)
            self.add_weight("bias_hh", (3 * self.units,), self.bias_initializer)
        else:
            self.bias_ih = self.bias_hh = None
            self.add_weight("bias", (3 * self.units,), self.bias_initializer)

    def _fused_kernel(self) -> FusedKernel | None:
        if not self.reset_after or self.activation not in TANH or self.recurrent_activation not in SIGMOID:
            return None
        if self.bias_ih is None:
            return torch.gru, [self.weight_ih, self.weight_hh], False
        return torch.gru, [self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh], True

    def _project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        # (B, T, features) -> (B, T, 3 * units), gates (r, z, n)
        return F.linear(inputs, self.weight_ih, self.bias_ih if self.reset_after else self.bias)

    def _step(
        self, projected: torch.Tensor, states: list[torch.Tensor], recurrent_mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        h = states[0]
        dropped = h if recurrent_mask is None else h * recurrent_mask
        x_r, x_z, x_n = projected.chunk(3, dim=-1)
        gate = self.recurrent_activation
        if self.reset_after:
            h_r, h_z, h_n = F.linear(dropped, self.weight_hh, self.bias_hh).chunk(3, dim=-1)
            r, z = gate(x_r + h_r), gate(x_z + h_z)
            candidate = self.activation(x_n + r * h_n)
        else:
            units = self.units
            h_r, h_z = F.linear(dropped, self.weight_hh[: 2 * units]).chunk(2, dim=-1)
            r, z = gate(x_r + h_r), gate(x_z + h_z)
            candidate = self.activation(x_n + F.linear(r * dropped, self.weight_hh[2 * units :]))
        h = z * h + (1.0 - z) * candidate
        return h, [h]

    # ------------------------------------------------------------------ Keras weights
    def get_weights(self) -> list[np.ndarray]:
        """Keras' ``[kernel, recurrent_kernel, bias]``: transposed, in Keras' gate order (z, r, h)."""
        if not self.built:
            return []
        with torch.no_grad():
            arrays = [_swap_reset_update(self.weight_ih).t(), _swap_reset_update(self.weight_hh).t()]
            if self.use_bias and self.reset_after:
                arrays.append(torch.stack([_swap_reset_update(self.bias_ih), _swap_reset_update(self.bias_hh)]))
            elif self.use_bias:
                arrays.append(_swap_reset_update(self.bias))
            return [a.cpu().float().numpy() if a.dtype == torch.bfloat16 else a.cpu().numpy() for a in arrays]

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Sets Keras' ``[kernel, recurrent_kernel, bias]``; all shapes are checked before any change.

        Raises:
            ValueError: if the count or any shape differs from Keras' GRU weights.
        """
        targets = self._keras_targets()
        if len(weights) != len(targets):
            raise ValueError(f"Layer {self.name!r}: set_weights expected {len(targets)} arrays, received {len(weights)}.")
        converted = []
        for index, ((shape, _), array) in enumerate(zip(targets, weights, strict=True)):
            value = torch.as_tensor(np.asarray(array))
            if tuple(value.shape) != shape:
                raise ValueError(
                    f"Layer {self.name!r}: weight {index} expected Keras shape {shape}, received {tuple(value.shape)}."
                )
            converted.append(value)
        with torch.no_grad():
            for (_, assign), value in zip(targets, converted, strict=True):
                assign(value)

    def _keras_targets(self) -> list[tuple[tuple[int, ...], Any]]:
        """``(keras_shape, assign)`` per Keras weight; ``assign`` writes a Keras-layout tensor."""
        if not self.built:
            return []
        width = 3 * self.units

        def copy_to(*parameters: torch.Tensor) -> Any:
            def assign(value: torch.Tensor) -> None:
                rows = [value] if len(parameters) == 1 else list(value)
                for parameter, row in zip(parameters, rows, strict=True):
                    torch_order = _swap_reset_update(row.t() if row.ndim == 2 else row)
                    parameter.copy_(torch_order)

            return assign

        targets = [
            ((self.weight_ih.shape[1], width), copy_to(self.weight_ih)),
            ((self.units, width), copy_to(self.weight_hh)),
        ]
        if self.use_bias and self.reset_after:
            targets.append(((2, width), copy_to(self.bias_ih, self.bias_hh)))
        elif self.use_bias:
            targets.append(((width,), copy_to(self.bias)))
        return targets

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "reset_after": self.reset_after,
        }


def _swap_reset_update(tensor: torch.Tensor) -> torch.Tensor:
    """Swaps the first two gate blocks along axis 0: torch's (r, z, n) <-> Keras' (z, r, h)."""
    first, second, third = tensor.chunk(3, dim=0)
    return torch.cat([second, first, third], dim=0)
