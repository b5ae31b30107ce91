"""``InputSpec``: what a layer accepts, checked when it is called.

A layer sets ``self.input_spec`` (usually in ``build``). Symbolic calls are checked
before any shape inference, so a mismatch is reported on the line that defines the
model; eager calls are checked when the layer fails, so the hot path pays nothing.

Example:
    >>> spec = InputSpec(min_ndim=2, axes={-1: 64})
    >>> spec.problem(0, (None, 128))
    'expected last axis = 64, received shape (None, 128)'
"""

from __future__ import annotations

from dataclasses import dataclass, field

Shape = tuple[int | None, ...]


@dataclass
class InputSpec:
    """Rank and axis sizes one input of a layer must have.

    Args:
        ndim: exact rank, or ``None``.
        min_ndim: minimum rank, or ``None``.
        max_ndim: maximum rank, or ``None``.
        axes: ``{axis: size}`` the input must match (negative axes count from the end).
    """

    ndim: int | None = None
    min_ndim: int | None = None
    max_ndim: int | None = None
    axes: dict[int, int] = field(default_factory=dict)

    def problem(self, index: int, shape: Shape) -> str | None:
        """Describes how ``shape`` violates the spec, or returns ``None`` when it fits."""
        rank = len(shape)
        if self.ndim is not None and rank != self.ndim:
            return f"expected ndim={self.ndim}, received ndim={rank} (shape {shape})"
        if self.min_ndim is not None and rank < self.min_ndim:
            return f"expected min_ndim={self.min_ndim}, received ndim={rank} (shape {shape})"
        if self.max_ndim is not None and rank > self.max_ndim:
            return f"expected max_ndim={self.max_ndim}, received ndim={rank} (shape {shape})"
        for axis, size in self.axes.items():
            if not -rank <= axis < rank:
                return f"expected an axis {axis} of size {size}, received shape {shape}"
            actual = shape[axis]
            if actual is not None and actual != size:
                where = "last axis" if axis == -1 else f"axis {axis}"
                return f"expected {where} = {size}, received shape {shape}"
        return None
