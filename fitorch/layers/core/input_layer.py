"""``Input`` and ``InputLayer``: where a functional model starts.

Example:
    >>> from fitorch import layers
    >>> layers.Input(shape=(32, 32, 3), name="image")
    <SymbolicTensor shape=(None, 32, 32, 3) dtype=float32 from 'image' (InputLayer)>
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch import config
from fitorch.graph.node import Node, TensorSpec
from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.layers.layer import Layer


class InputLayer(Layer):
    """The source node of a functional model; passes its input through unchanged.

    Args:
        shape: input shape without the batch axis; ``None`` marks unknown sizes.
        batch_size: optional fixed batch size.
        dtype: dtype of the input (default ``floatx()``); integer dtypes suit
            ``Embedding`` inputs.
        name: optional name.
    """

    def __init__(
        self,
        shape: Sequence[int | None] | None = None,
        batch_size: int | None = None,
        dtype: str | torch.dtype | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name or None, **kwargs)
        if shape is None:
            raise ValueError(f"InputLayer {self.name!r}: pass shape=, e.g. Input(shape=(32, 32, 3)).")
        if isinstance(shape, int):
            shape = (shape,)
        if not isinstance(shape, (tuple, list)) or not all(d is None or (isinstance(d, int) and d >= 0) for d in shape):
            raise ValueError(
                f"InputLayer {self.name!r}: shape must be a tuple of non-negative ints or None; received {shape!r}."
            )
        self.shape = tuple(shape)
        self.batch_size = batch_size
        self.input_dtype = config.standardize_dtype(dtype) or config.floatx_dtype()
        self.built = True
        spec = TensorSpec((batch_size, *self.shape), self.input_dtype)
        self._node = Node(self, (), {}, spec)

    @property
    def output(self) -> SymbolicTensor:
        return self._node.outputs

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return inputs

    def get_config(self) -> dict[str, Any]:
        return {
            "shape": list(self.shape),
            "batch_size": self.batch_size,
            "dtype": str(self.input_dtype).removeprefix("torch."),
            "name": self.name,
        }


def Input(  # noqa: N802 - Keras' public spelling
    shape: Sequence[int | None] | None = None,
    batch_size: int | None = None,
    dtype: str | torch.dtype | None = None,
    name: str | None = None,
) -> SymbolicTensor:
    """Creates a symbolic input tensor for a functional model.

    Args:
        shape: input shape without the batch axis, e.g. ``(32, 32, 3)``.
        batch_size: optional fixed batch size.
        dtype: input dtype, default ``floatx()``.
        name: optional name; used as the key when a model takes a dict of inputs.

    Returns:
        A ``SymbolicTensor`` of shape ``(batch_size, *shape)``.
    """
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name).output
