"""``StochasticDepth``: drops a whole residual branch per sample while training (drop path)."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch

from fitorch.layers.layer import Layer
from fitorch.saving.registry import register_serializable


@register_serializable(package="fitorch", name="StochasticDepth")
class StochasticDepth(Layer):
    """Zeroes the whole input of a sample with probability ``drop_path_rate`` during training.

    Put it on a residual branch (``x + StochasticDepth(0.1)(branch)``) so that each
    sample skips the branch at random while training; kept samples are scaled by
    ``1 / (1 - drop_path_rate)``. At inference it is the identity.
    ``keras.applications.ConvNeXt*`` defines this layer; fitorch has it so that
    those models import.

    Args:
        drop_path_rate: float in ``[0, 1)``, the probability of dropping a sample's branch.

    Call arguments:
        inputs: a tensor ``(batch, ...)``.
        training: ``True`` to drop, ``False`` for the identity; ``None`` (default)
            follows ``self.training``.

    Input shape:
        Any, with the batch axis first.

    Output shape:
        Same as the input.

    Example:
        >>> import torch
        >>> from fitorch.layers.regularization.stochastic_depth import StochasticDepth
        >>> layer = StochasticDepth(0.5)
        >>> x = torch.ones(1000, 3)
        >>> torch.equal(layer(x, training=False), x)
        True
        >>> sorted(set(layer(x, training=True).flatten().tolist()))
        [0.0, 2.0]
    """

    def __init__(self, drop_path_rate: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(drop_path_rate, Real) or isinstance(drop_path_rate, bool) or not 0 <= drop_path_rate < 1:
            raise ValueError(
                f"StochasticDepth {self.name!r}: drop_path_rate must be a float in [0, 1); received "
                f"drop_path_rate={drop_path_rate!r}."
            )
        self.drop_path_rate = float(drop_path_rate)

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        training = self.training if training is None else training
        if not training or self.drop_path_rate == 0.0:
            return inputs
        keep = 1.0 - self.drop_path_rate
        # (batch, 1, ..., 1): one draw per sample, broadcast over the rest.
        mask = torch.empty((inputs.shape[0],) + (1,) * (inputs.ndim - 1), dtype=inputs.dtype, device=inputs.device)
        return inputs * mask.bernoulli_(keep).div_(keep)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}
