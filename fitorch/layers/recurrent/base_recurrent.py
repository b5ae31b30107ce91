"""``BaseRecurrent``: what every recurrent layer and every RNN cell shares.

A recurrent layer (``BaseRNN``) runs a whole sequence and a cell (``BaseRNNCell``) one
step, but both take Keras' ``dropout``, ``recurrent_dropout`` and ``seed``, draw their
dropout masks from a seeded generator per device, and compute a step from the two
hooks ``_project_inputs`` (the input terms) and ``_step`` (the recurrence).
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import torch

from fitorch import initializers
from fitorch.layers.layer import Layer
from fitorch.utils.random_seed import seeded_generator

Shape = tuple[int | None, ...]


def lstm_bias_initializer(bias_initializer: Any, unit_forget_bias: bool, units: int) -> Any:
    """Keras' LSTM bias: with ``unit_forget_bias``, ``[init(units), ones(units), init(2 * units)]``."""
    if not unit_forget_bias:
        return bias_initializer
    base = initializers.get(bias_initializer)

    def initializer(shape: Sequence[int], dtype: torch.dtype | None = None, device: Any = None) -> torch.Tensor:
        ones = torch.ones(units, dtype=dtype, device=device)
        return torch.cat(
            [base((units,), dtype=dtype, device=device), ones, base((2 * units,), dtype=dtype, device=device)]
        )

    return initializer


class BaseRecurrent(Layer):
    """Abstract parent of the recurrent layers and cells: dropout arguments, seeded masks, step hooks.

    Args:
        dropout: float in ``[0, 1)``, fraction of the input units dropped while
            training (default 0).
        recurrent_dropout: float in ``[0, 1)``, fraction of the recurrent state's units
            dropped in the recurrent projection while training (default 0).
        seed: optional int seeding the dropout masks of this layer.
        **kwargs: the ``Layer`` arguments (``name``, ``dtype`` ...).
    """

    def __init__(
        self, *, dropout: float = 0.0, recurrent_dropout: float = 0.0, seed: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        owner = self._owner
        for argument, value in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not isinstance(value, Real) or isinstance(value, bool) or not 0.0 <= value < 1.0:
                raise ValueError(
                    f"{owner}: {argument} must be a float in [0, 1), the fraction of units to drop; "
                    f"received {argument}={value!r}."
                )
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise TypeError(f"{owner}: seed must be an int or None; received seed={seed!r}.")
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        self._generators: dict[torch.device, torch.Generator] = {}

    @property
    def _owner(self) -> str:
        return f"{type(self).__name__} {self.name!r}"

    def _project_inputs(self, inputs: torch.Tensor) -> torch.Tensor:
        """The input terms of a step, or of every step at once (``(batch, timesteps, ...)``)."""
        raise NotImplementedError

    def _step(
        self, projected: torch.Tensor, states: list[torch.Tensor], recurrent_mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """One step: ``(output, new_states)`` from this step's projected input and the states."""
        raise NotImplementedError

    def _dropout_mask(self, shape: Sequence[int], rate: float, like: torch.Tensor) -> torch.Tensor:
        keep = 1.0 - rate
        mask = torch.empty(tuple(shape), dtype=like.dtype, device=like.device)
        mask.bernoulli_(keep, generator=self._generator(like.device))
        return mask.div_(keep)

    def _generator(self, device: torch.device) -> torch.Generator | None:
        return seeded_generator(self._generators, self.seed, device)
