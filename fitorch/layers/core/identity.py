"""``Identity``: returns its inputs unchanged."""

from __future__ import annotations

from typing import Any

from fitorch.layers.layer import Layer


class Identity(Layer):
    """Returns its inputs unchanged; a placeholder where a layer is expected.

    Use it where an architecture takes a layer but a configuration wants none (an
    optional projection, a switchable normalization), so the model code keeps one
    shape. Masks pass through.

    Call arguments:
        inputs: a tensor, or any nest of tensors (returned as is).

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
        >>> import torch
        >>> from fitorch.layers.core import Identity
        >>> x = torch.ones(2, 3)
        >>> Identity()(x) is x
        True
    """

    supports_masking = True

    def call(self, inputs: Any) -> Any:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape
