"""``Merge``: the shared parent of layers that combine a list of tensors (``Add``, ``Concatenate`` ...)."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.layer import Layer, is_shape

Shape = tuple[int | None, ...]

_SECTIONS = """\
Call arguments:
    inputs: a list of {count} tensors.

Input shape:
    A list of {shapes}shapes ``(batch, ...)`` that broadcast together.

Output shape:
    The broadcast shape."""


def merge_docs(count: int | None = None) -> dict[str, str]:
    """The ``sections`` (``Call arguments``, shapes) of an elementwise merge of ``count`` inputs (``None``: 2+).

    Example:
        >>> print(merge_docs(2)["sections"].splitlines()[1])
            inputs: a list of exactly 2 tensors.
    """
    if count is None:
        return {"sections": _SECTIONS.format(count="at least 2", shapes="")}
    return {"sections": _SECTIONS.format(count=f"exactly {count}", shapes=f"{count} ")}


class Merge(Layer):
    """Base class of merge layers: called on a list of at least 2 tensors, returns one.

    Elementwise merges (``Add`` ...) follow Keras' broadcasting: every axis after
    the batch axis must match or be 1, and an input of lower rank gains axes of
    size 1 right after its batch axis (``(batch, 4)`` adds to ``(batch, 3, 4)``).
    Batch sizes must be equal. Shapes are checked when the layer is called on
    symbolic tensors, so a mismatch fails on the line that defines the model.

    Subclasses implement ``_merge_function(inputs)`` on a list of tensors of equal
    rank; a layer that takes a fixed number of inputs sets ``input_count``.
    """

    #: The number of inputs when it is fixed (``Subtract``: 2); ``None`` means 2 or more.
    input_count: int | None = None
    #: How the error for a wrong number of inputs describes what is expected.
    expected_inputs = "exactly 2 inputs"

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        raise NotImplementedError

    def build(self, input_shape: Any) -> None:
        self.compute_output_shape(input_shape)  # checks the shapes where the model is defined

    def call(self, inputs: list[torch.Tensor] | tuple[torch.Tensor, ...]) -> torch.Tensor:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(self._not_a_list_message(tuple(inputs.shape)))
        rank = max(x.ndim for x in inputs)
        aligned = []
        for x in inputs:
            for _ in range(rank - x.ndim):
                x = x.unsqueeze(1)  # (B, ...) -> (B, 1, ...), as Keras expands lower-rank inputs
            aligned.append(x)
        return self._merge_function(aligned)

    def compute_output_shape(self, input_shape: Any) -> Shape:
        shapes = self._input_shapes(input_shape)
        batch_sizes = {s[0] for s in shapes if len(s) > 0} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: inputs have different batch sizes; received shapes "
                f"{format_shapes(shapes)}."
            )
        output = tuple(shapes[0][1:])
        for shape in shapes[1:]:
            output = self._broadcast(output, tuple(shape[1:]), shapes)
        return (batch_sizes.pop() if batch_sizes else None, *output)

    def _broadcast(self, first: Shape, second: Shape, shapes: list[Shape]) -> Shape:
        """Keras' elementwise output shape of two sample shapes (batch axes removed)."""
        if len(first) < len(second):
            first, second = second, first
        if not second:
            return first
        output = list(first[: len(first) - len(second)])
        for a, b in zip(first[len(first) - len(second) :], second, strict=True):
            if a is None or b is None:
                output.append(None)
            elif a == 1 or b == 1 or a == b:
                output.append(b if a == 1 else a)
            else:
                raise ValueError(
                    f"{type(self).__name__} {self.name!r}: inputs have incompatible shapes "
                    f"{format_shapes(shapes)}; "
                    f"after the batch axis, sizes {a} and {b} neither match nor are 1. Every axis must match "
                    "or be 1 (broadcast)."
                )
        return tuple(output)

    def _input_shapes(self, input_shape: Any) -> list[Shape]:
        """Checks that the layer received a list of at least 2 inputs, and returns their shapes."""
        if is_shape(input_shape):
            raise ValueError(self._not_a_list_message(tuple(input_shape)))
        shapes = list(input_shape)
        if len(shapes) < 2 or not all(is_shape(s) for s in shapes):
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: expected a list of at least 2 tensors; received "
                f"{len(shapes)} input(s) with shapes {format_shapes(shapes)}."
            )
        if self.input_count is not None and len(shapes) != self.input_count:
            self._wrong_input_count(shapes)
        return [tuple(s) for s in shapes]

    def _wrong_input_count(self, shapes: list[Any]) -> None:
        raise ValueError(
            f"{type(self).__name__} {self.name!r}: expected {self.expected_inputs}; received {len(shapes)} inputs "
            f"with shapes {format_shapes(shapes)}."
        )

    def _not_a_list_message(self, shape: Shape) -> str:
        return (
            f"{type(self).__name__} {self.name!r}: a merge layer is called on a list of at least 2 tensors, "
            f"e.g. {type(self).__name__}()([x1, x2]); received a single tensor of shape {shape}."
        )


def sum_inputs(inputs: list[torch.Tensor]) -> torch.Tensor:
    """``inputs[0] + inputs[1] + ...``, left to right.

    Example:
        >>> import torch
        >>> sum_inputs([torch.ones(2), torch.ones(2), torch.ones(2)]).tolist()
        [3.0, 3.0]
    """
    output = inputs[0]
    for x in inputs[1:]:
        output = output + x
    return output


def format_shapes(shapes: list[Any]) -> str:
    return "[" + ", ".join(str(tuple(s)) if isinstance(s, (tuple, list)) else repr(s) for s in shapes) + "]"
