"""``EinsumDense``: a dense layer of any rank, ``activation(einsum(equation, inputs, kernel) + bias)``."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import torch

from fitorch import activations, initializers
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]

_FORMS = (
    # (regex on the equation with '...' replaced by '0', whether the ellipsis is on the left)
    (re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)"), False),
    (re.compile(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)"), True),
    (re.compile(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0"), False),
)


class EinsumDense(Layer):
    """A dense layer whose contraction is any ``einsum`` equation.

    Use it for projections that ``Dense`` cannot express without reshapes: a
    per-head projection ``(batch, T, dim) -> (batch, T, heads, head_dim)``
    (``"abc,cde->abde"``, as ``MultiHeadAttention`` uses), a projection that merges
    several axes, or a dense map of a middle axis.

    Args:
        equation: ``"<input>,<kernel>-><output>"`` with one letter per axis, e.g.
            ``"ab,bc->ac"`` (a ``Dense``), ``"abc,cde->abde"``, or with an ellipsis
            ``"...b,bc->...c"`` (left) or ``"ab...,bc->ac..."`` (right). The first
            input letter is the batch axis.
        output_shape: the output shape without the batch axis (and without the
            ellipsis axes); ``None`` entries take the input's size. An int is a 1-tuple.
        activation: activation name or callable (default ``None``, linear).
        bias_axes: letters of the output axes that get a bias (default ``None``,
            no bias), e.g. ``"c"`` or ``"de"``.
        kernel_initializer: default ``'glorot_uniform'``. As in Keras, variance-
            scaling initializers count the fans over the kernel's contracted
            (input) and kept (output) axes, whatever the kernel's rank.
        bias_initializer: default ``'zeros'``.

    Call arguments:
        inputs: a tensor whose rank matches the equation's input part.

    Input shape:
        As the equation says, e.g. ``(batch, T, dim)`` for ``"abc,cde->abde"``.

    Output shape:
        ``(batch, *output_shape)`` with the ellipsis axes kept in place.

    Weights:
        ``weight``, the kernel, in the equation's kernel layout (torch has no
        equivalent layer, so it is stored as Keras' ``kernel``), and ``bias`` of the
        shape Keras gives it (the bias axes, with 1s between them).

    Example:
        >>> import torch
        >>> from fitorch.layers.core import EinsumDense
        >>> layer = EinsumDense("abc,cde->abde", output_shape=(None, 4, 8), bias_axes="de")
        >>> layer(torch.ones(2, 5, 16)).shape
        torch.Size([2, 5, 4, 8])
        >>> layer.weight.shape, layer.bias.shape
        (torch.Size([16, 4, 8]), torch.Size([4, 8]))
    """

    def __init__(
        self,
        equation: str,
        output_shape: int | Sequence[int | None],
        activation: Any = None,
        bias_axes: str | None = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not isinstance(equation, str) or _match(equation) is None:
            raise ValueError(
                f"EinsumDense {self.name!r}: invalid equation {equation!r}. Equations must read "
                "'<input>,<kernel>-><output>' with one letter per axis, e.g. 'ab,bc->ac', '...b,bc->...c' or "
                "'ab...,bc->ac...'."
            )
        if isinstance(output_shape, int) and not isinstance(output_shape, bool):
            output_shape = (output_shape,)
        if isinstance(output_shape, (str, bytes)) or not isinstance(output_shape, Sequence) or not all(
            d is None or (type(d) is int and d > 0) for d in output_shape
        ):
            raise ValueError(
                f"EinsumDense {self.name!r}: output_shape must be an int or a tuple of positive ints and None; "
                f"received output_shape={output_shape!r}."
            )
        if bias_axes is not None and not isinstance(bias_axes, str):
            raise TypeError(
                f"EinsumDense {self.name!r}: bias_axes must be a string of output letters or None; "
                f"received bias_axes={bias_axes!r}."
            )
        self.equation = equation
        self.partial_output_shape: Shape = tuple(output_shape)
        self.activation = activations.get(activation)
        self.bias_axes = bias_axes or None
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer

    def build(self, input_shape: Shape) -> None:
        kernel_shape, bias_shape, _, input_axes, output_axes = self._analyze(input_shape)
        if any(d is None for d in kernel_shape) or (bias_shape is not None and any(d is None for d in bias_shape)):
            raise ValueError(
                f"EinsumDense {self.name!r}: the kernel shape {tuple(kernel_shape)} has unknown sizes; give "
                f"them in output_shape or use an input of known size (received shape {tuple(input_shape)})."
            )
        initializer = _fan_aware(initializers.get(self.kernel_initializer), input_axes, output_axes)
        self.add_weight("weight", kernel_shape, initializer)
        if bias_shape is not None:
            self.add_weight("bias", bias_shape, self.bias_initializer)
        else:
            self.bias = None
        self.input_spec = InputSpec(ndim=len(input_shape))
        contracted = _contracted_axes(self.equation)
        # Projections of trailing axes, (..., C1..Cn) x (C1..Cn, O1..Om), run as one matmul: the
        # common case (Dense, MultiHeadAttention), and much cheaper than einsum to trace when
        # torch.compile sees dynamic shapes.
        self._matmul_out = None if contracted is None else tuple(kernel_shape[contracted:])
        self._matmul_in = contracted

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self._matmul_out is not None:
            x = inputs.flatten(-self._matmul_in) if self._matmul_in > 1 else inputs  # (..., C1..Cn) -> (..., C)
            kernel = self.weight.reshape(-1, math.prod(self._matmul_out))  # (C1..Cn, O1..Om) -> (C, O)
            outputs = torch.matmul(x, kernel)
            if len(self._matmul_out) > 1:
                outputs = outputs.unflatten(-1, self._matmul_out)  # (..., O) -> (..., O1..Om)
        else:
            outputs = torch.einsum(self.equation, inputs, self.weight)
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(self._analyze(input_shape)[2])

    def _analyze(self, input_shape: Shape) -> tuple[list, list | None, list, list[int], list[int]]:
        try:
            return _analyze_einsum(self.equation, self.bias_axes, tuple(input_shape), self.partial_output_shape)
        except ValueError as error:
            raise ValueError(f"EinsumDense {self.name!r}: {error}") from None

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "equation": self.equation,
            "output_shape": list(self.partial_output_shape),
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
        }


def _match(equation: str) -> tuple[re.Match, bool] | None:
    replaced = equation.replace("...", "0")
    for pattern, left_elided in _FORMS:
        found = pattern.fullmatch(replaced)
        if found:
            return found, left_elided
    return None


def _contracted_axes(equation: str) -> int | None:
    """How many trailing input axes the kernel contracts, when the equation is a plain matmul.

    That is ``<free><contracted>,<contracted><new>-><free><new>`` (with an optional leading
    ellipsis), e.g. ``"abc,cde->abde"`` gives 1 and ``"abcd,cde->abe"`` gives 2; otherwise ``None``.
    """
    found, left_elided = _match(equation)  # type: ignore[misc]
    input_spec, weight_spec, output_spec = found.groups()
    if "..." in equation and not left_elided:
        return None
    if any(len(set(spec)) != len(spec) for spec in (input_spec, weight_spec, output_spec)):
        return None
    contracted = "".join(c for c in weight_spec if c in input_spec and c not in output_spec)
    new = "".join(c for c in weight_spec if c in output_spec and c not in input_spec)
    free = input_spec[: len(input_spec) - len(contracted)]
    if not contracted or not new or weight_spec != contracted + new:
        return None
    if input_spec != free + contracted or output_spec != free + new:
        return None
    return len(contracted)


def _analyze_einsum(
    equation: str, bias_axes: str | None, input_shape: Shape, partial_output_shape: Shape
) -> tuple[list, list | None, list, list[int], list[int]]:
    """Keras' analysis: ``(kernel_shape, bias_shape, output_shape, kernel input axes, kernel output axes)``."""
    found, left_elided = _match(equation)  # type: ignore[misc]
    input_spec, weight_spec, output_spec = found.groups()
    elided = len(input_shape) - len(input_spec)
    if elided < 0 or (elided > 0 and "..." not in equation):
        raise ValueError(
            f"the equation {equation!r} expects inputs of rank {len(input_spec)}; received shape {input_shape}."
        )
    output_shape = [input_shape[0], *partial_output_shape]
    if elided > 0 and left_elided:
        # The elided axes after the batch axis, in order (Keras inserts them reversed in its
        # symbolic shapes, though its outputs keep the order).
        output_shape[1:1] = input_shape[1:elided]
    elif elided > 0:
        output_shape.extend(input_shape[len(input_shape) - elided :])
    if len(output_shape) != len(output_spec) + max(elided, 0):
        raise ValueError(
            f"output_shape={partial_output_shape} has {len(partial_output_shape)} entries but the equation's "
            f"output {output_spec!r} needs {len(output_spec) - 1} (every output axis except the batch axis)."
        )
    if left_elided:
        input_dim_map = {dim: (i + elided) - len(input_shape) for i, dim in enumerate(input_spec)}
        output_dim_map = {dim: i + elided for i, dim in enumerate(output_spec)}
    else:
        input_dim_map = {dim: i for i, dim in enumerate(input_spec)}
        output_dim_map = {dim: i for i, dim in enumerate(output_spec)}
    for dim in input_spec:
        if dim in output_dim_map:
            size, wanted = input_shape[input_dim_map[dim]], output_shape[output_dim_map[dim]]
            if wanted is not None and size is not None and wanted != size:
                raise ValueError(
                    f"input shape and output shape do not match at shared dimension {dim!r}: the input has "
                    f"{size}, output_shape asks for {wanted} (input shape {input_shape})."
                )
            if wanted is None:
                output_shape[output_dim_map[dim]] = size
    for dim in output_spec:
        if dim not in input_spec and dim not in weight_spec:
            raise ValueError(
                f"output dimension {dim!r} appears in neither the input {input_spec!r} nor the kernel {weight_spec!r}."
            )
    kernel_shape, input_axes, output_axes = [], [], []
    for i, dim in enumerate(weight_spec):
        if dim in output_dim_map:
            kernel_shape.append(output_shape[output_dim_map[dim]])
            output_axes.append(i)
        elif dim in input_dim_map:
            kernel_shape.append(input_shape[input_dim_map[dim]])
            input_axes.append(i)
        else:
            raise ValueError(
                f"kernel dimension {dim!r} appears in neither the input {input_spec!r} nor the output "
                f"{output_spec!r}; the kernel must be fully specified."
            )
    bias_shape = None
    if bias_axes is not None:
        for char in bias_axes:
            if char not in output_spec:
                raise ValueError(f"bias dimension {char!r} is not part of the output {output_spec!r}.")
        offset = elided if left_elided else 0
        sizes = {char: output_shape[i + offset] for i, char in enumerate(output_spec)}
        first = min(output_spec.find(char) for char in bias_axes)
        bias_shape = [sizes[char] if char in bias_axes else 1 for char in output_spec[first:]]
        if not left_elided:
            bias_shape.extend([1] * max(elided, 0))
    return kernel_shape, bias_shape, output_shape, input_axes, output_axes


def _fan_aware(initializer: Callable, input_axes: list[int], output_axes: list[int]) -> Callable:
    """Gives a variance-scaling initializer Keras' EinsumDense fans (fan_in = the contracted axes).

    The kernel's values are drawn i.i.d. with the variance of a ``(fan_in, fan_out)`` matrix
    and laid out in the kernel's shape; other initializers see the kernel's shape as is.
    """
    if not isinstance(initializer, initializers.VarianceScaling):
        return initializer

    def initialize(shape: Sequence[int], dtype: torch.dtype | None = None, device: Any = None) -> torch.Tensor:
        fan_in = math.prod(shape[a] for a in input_axes)
        fan_out = math.prod(shape[a] for a in output_axes)
        return initializer((fan_in, fan_out), dtype=dtype, device=device).reshape(tuple(shape))

    return initialize
