"""``ActivityRegularization``: adds an L1/L2 penalty on its input to the training loss."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.layer import Layer
from fitorch.regularizers import L1L2


class ActivityRegularization(Layer):
    """Passes its input through unchanged and records ``l1 * sum|x| + l2 * sum x^2`` as a loss.

    Use it to push activations towards sparsity (``l1``) or small values (``l2``).
    As in Keras 3, the penalty is divided by the batch size (the size of the
    first axis), so its strength does not depend on the batch size:
    ``loss = (l1 * sum(|x|) + l2 * sum(x ** 2)) / batch_size``.

    The penalty of the latest call is kept, as a scalar tensor attached to the
    graph, through ``self.add_loss``; it is recorded on every call, training or
    not, as Keras records it (Keras also adds it to the loss ``evaluate`` reports).

    Args:
        l1: float >= 0, the L1 factor (default ``0.0``).
        l2: float >= 0, the L2 factor (default ``0.0``).

    Call arguments:
        inputs: a tensor of any rank, returned as it is; its penalty goes to ``self.losses``.

    Input shape:
        Any, with the batch axis first (the penalty is divided by its size).

    Output shape:
        Same as the input.

    Example:
        >>> import torch
        >>> from fitorch.layers.regularization import ActivityRegularization
        >>> layer = ActivityRegularization(l1=0.1, l2=0.01)
        >>> x = torch.ones(2, 5)
        >>> layer(x) is x
        True
        >>> round(float(layer.losses[0]), 4)  # (0.1 * 10 + 0.01 * 10) / 2
        0.55
    """

    supports_masking = True

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        try:
            self.regularizer = L1L2(l1=l1, l2=l2)
        except ValueError as error:
            raise ValueError(f"ActivityRegularization {self.name!r}: {error}") from None
        self.l1 = self.regularizer.l1
        self.l2 = self.regularizer.l2

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        loss = self.regularizer(inputs)
        if inputs.ndim > 0:
            # Keras' divide_no_nan by the batch size: an empty batch gives 0, not nan.
            batch_size = inputs.shape[0]
            loss = loss / batch_size if batch_size > 0 else torch.zeros_like(loss)
        self.add_loss(loss)
        return inputs

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "l1": self.l1, "l2": self.l2}
