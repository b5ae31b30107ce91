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
        batch_shape: the shape with the batch axis, instead of ``shape`` and ``batch_size``
            (Keras' ``batch_shape``; ``batch_input_shape`` is its Keras 2 spelling).
        name: optional name.
        input_shape: Keras 2's name of ``shape``.
    """

    def __init__(
        self,
        shape: Sequence[int | None] | None = None,
        batch_size: int | None = None,
        dtype: str | torch.dtype | None = None,
        batch_shape: Sequence[int | None] | None = None,
        name: str | None = None,
        input_shape: Sequence[int | None] | None = None,
        **kwargs: Any,
    ) -> None:
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        super().__init__(name=name or None, **kwargs)
        if input_shape is not None:
            if shape is not None:
                raise ValueError(f"InputLayer {self.name!r}: pass shape= or input_shape=, not both.")
            shape = input_shape
        if batch_input_shape is not None:
            if batch_shape is not None:
                raise ValueError(f"InputLayer {self.name!r}: pass batch_shape= or batch_input_shape=, not both.")
            batch_shape = batch_input_shape
        if batch_shape is not None:
            if shape is not None or batch_size is not None:
                raise ValueError(
                    f"InputLayer {self.name!r}: pass either batch_shape= or shape= (with batch_size=); received "
                    f"batch_shape={batch_shape!r} and shape={shape!r}, batch_size={batch_size!r}."
                )
            if not isinstance(batch_shape, (tuple, list)) or not batch_shape:
                raise ValueError(
                    f"InputLayer {self.name!r}: batch_shape must be a non-empty tuple, batch axis first, e.g. "
                    f"(None, 32, 32, 3); received {batch_shape!r}."
                )
            batch_size, shape = batch_shape[0], tuple(batch_shape[1:])
        if shape is None:
            raise ValueError(f"InputLayer {self.name!r}: pass shape=, e.g. Input(shape=(32, 32, 3)).")
        if isinstance(shape, int):
            shape = (shape,)
        if not isinstance(shape, (tuple, list)) or not all(d is None or (isinstance(d, int) and d >= 0) for d in shape):
            raise ValueError(
                f"InputLayer {self.name!r}: shape must be a tuple of non-negative ints or None; received {shape!r}."
            )
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size <= 0):
            raise ValueError(
                f"InputLayer {self.name!r}: batch_size must be a positive int or None; received {batch_size!r}."
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
    batch_shape: Sequence[int | None] | None = None,
) -> SymbolicTensor:
    """Creates a symbolic input tensor for a functional model.

    Args:
        shape: input shape without the batch axis, e.g. ``(32, 32, 3)``.
        batch_size: optional fixed batch size.
        dtype: input dtype, default ``floatx()``.
        name: optional name; used as the key when a model takes a dict of inputs.
        batch_shape: the shape with the batch axis, instead of ``shape`` and
            ``batch_size``: ``Input(batch_shape=(None, 4))`` is ``Input(shape=(4,))``.

    Returns:
        A ``SymbolicTensor`` of shape ``(batch_size, *shape)``.

    Example:
        >>> Input(batch_shape=(8, 4)).shape
        (8, 4)
    """
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, batch_shape=batch_shape, name=name).output
