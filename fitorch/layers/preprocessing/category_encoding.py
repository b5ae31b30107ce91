"""``CategoryEncoding``: one-hot, multi-hot or count encoding of integer categories."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]
OUTPUT_MODES = ("one_hot", "multi_hot", "count")


def as_tensor(inputs: Any) -> torch.Tensor:
    """A tensor from a tensor, a NumPy array or a (nested) list of numbers."""
    return inputs if isinstance(inputs, torch.Tensor) else torch.as_tensor(np.asarray(inputs))


def encode_categorical(
    indices: torch.Tensor,
    output_mode: str,
    depth: int,
    dtype: torch.dtype,
    count_weights: torch.Tensor | None = None,
) -> torch.Tensor:
    """Encodes integer ``indices`` in ``[0, depth)`` as Keras' ``encode_categorical_inputs`` does.

    ``'one_hot'`` adds an axis of size ``depth`` (replacing a last axis of size 1);
    ``'multi_hot'`` and ``'count'`` reduce axis 1 (axis 0 for rank-1 inputs, a single
    sample). Indices outside ``[0, depth)`` encode to zeros.
    """
    if output_mode == "int":
        return indices.to(dtype)
    if indices.ndim == 0:
        indices = indices.unsqueeze(-1)
    if output_mode == "one_hot" and indices.ndim > 1 and indices.shape[-1] == 1:
        indices = indices.squeeze(-1)
    classes = torch.arange(depth, device=indices.device)
    one_hot = indices.unsqueeze(-1) == classes  # (..., depth) bool; out-of-range rows stay all False
    if output_mode == "one_hot":
        return one_hot.to(dtype)
    axis = 1 if indices.ndim > 1 else 0
    if output_mode == "multi_hot":
        return one_hot.any(dim=axis).to(dtype)
    if count_weights is not None:
        return (one_hot.to(count_weights.dtype) * count_weights.unsqueeze(-1)).sum(dim=axis)
    return one_hot.to(dtype).sum(dim=axis)


def encoded_shape(input_shape: Shape, output_mode: str, depth: int | None) -> Shape:
    """The output shape of ``encode_categorical`` for inputs of ``input_shape``."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if len(input_shape) == 0:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    if len(input_shape) == 1:
        return (depth,)
    return (input_shape[0], *input_shape[2:], depth)


class CategoryEncoding(Layer):
    """Encodes integer categories as one-hot, multi-hot or count vectors.

    Use it on integer features whose values are already in ``[0, num_tokens)`` (for
    raw values, use ``IntegerLookup``/``StringLookup``). Values outside that range
    encode to zeros.

    Args:
        num_tokens: int, the number of categories; inputs lie in ``[0, num_tokens)``.
        output_mode: ``'multi_hot'`` (default: a 1 for each category present in a
            sample, the last axis of the input being the sample), ``'one_hot'`` (one
            vector per element; a last axis of size 1 is replaced), or ``'count'``
            (how often each category occurs in the sample). ``'binary'`` is an alias
            of ``'multi_hot'``.
        sparse: only ``False`` (torch has no Keras-style sparse outputs here).

    Call arguments:
        inputs: an integer tensor, NumPy array or list.
        count_weights: optional weights, shaped like ``inputs``, summed instead of
            ones in ``'count'`` mode.

    Input shape:
        ``(batch,)``, ``(batch, 1)`` or ``(batch, samples)``.

    Output shape:
        ``(batch, num_tokens)`` (``'one_hot'`` on ``(batch, samples)`` gives
        ``(batch, samples, num_tokens)``), of dtype ``fitorch.config.floatx()``.

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import CategoryEncoding
        >>> CategoryEncoding(num_tokens=4, output_mode="one_hot")(torch.tensor([3, 2, 0, 1]))
        tensor([[0., 0., 0., 1.],
                [0., 0., 1., 0.],
                [1., 0., 0., 0.],
                [0., 1., 0., 0.]])
        >>> CategoryEncoding(num_tokens=4, output_mode="count")(torch.tensor([[0, 1, 1], [2, 3, 3]]))
        tensor([[1., 2., 0., 0.],
                [0., 0., 1., 2.]])
    """

    def __init__(
        self, num_tokens: int | None = None, output_mode: str = "multi_hot", sparse: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"CategoryEncoding {self.name!r}: output_mode must be one of {list(OUTPUT_MODES)}; received "
                f"output_mode={output_mode!r}."
            )
        if not isinstance(num_tokens, int) or isinstance(num_tokens, bool) or num_tokens < 1:
            raise ValueError(
                f"CategoryEncoding {self.name!r}: num_tokens must be an int >= 1 (the number of categories; for "
                f"unknown categories use IntegerLookup); received num_tokens={num_tokens!r}."
            )
        if sparse:
            raise ValueError(f"CategoryEncoding {self.name!r}: sparse=True is not supported; use sparse=False.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = False

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(inputs, (list, tuple, np.ndarray)):
            inputs = as_tensor(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs: torch.Tensor, count_weights: Any = None) -> torch.Tensor:
        if inputs.is_floating_point() or inputs.is_complex():
            raise TypeError(
                f"CategoryEncoding {self.name!r}: expected integer inputs (category indices); received dtype "
                f"{inputs.dtype}."
            )
        dtype = self._dtype or config.floatx_dtype()
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    f"CategoryEncoding {self.name!r}: count_weights is only used with output_mode='count'; received "
                    f"output_mode={self.output_mode!r}."
                )
            count_weights = as_tensor(count_weights).to(device=inputs.device, dtype=dtype)
        return encode_categorical(inputs, self.output_mode, self.num_tokens, dtype, count_weights)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        return self._dtype or config.floatx_dtype()

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode, "sparse": False}
