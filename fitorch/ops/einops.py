"""``keras.ops.rearrange``: einops-style axis rearrangement, the subset Keras implements.

A pattern names the input axes and the output axes: ``'b h w c -> b c h w'`` transposes,
``'(h1 h)'`` on the left splits an axis (one size given as a keyword, the other inferred),
``'(b h)'`` on the right merges axes. Keras' subset has no ``...``, no ``1`` axes and no
anonymous axes; neither does this one.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> ops.rearrange(torch.zeros(2, 4, 6, 3), "b (h1 h) w c -> (b h1) h w c", h1=2).shape
    torch.Size([4, 2, 6, 3])
"""

from __future__ import annotations

import math
import re
from typing import Any

import torch

from fitorch.ops.dtypes import convert
from fitorch.ops.registry import keras_op

_AXES = re.compile(r"\w+|\([\w\s]*\)")


def _groups(side: str, pattern: str) -> list[list[str]]:
    """``'b (h w) c'`` -> ``[['b'], ['h', 'w'], ['c']]``; refuses what the pattern language lacks."""
    leftover = _AXES.sub(" ", side).strip()
    if leftover:
        raise ValueError(f"ops.rearrange: pattern {pattern!r} has {leftover!r}, which is not an axis name or a "
                         f"parenthesized group of names (Keras' rearrange has no '...' and no '1' axes).")  # fmt: skip
    groups = [re.findall(r"\w+", token) for token in _AXES.findall(side)]
    names = [name for group in groups for name in group]
    if len(set(names)) != len(names):
        raise ValueError(f"ops.rearrange: pattern {pattern!r} repeats an axis name on one side.")
    if any(name.isdigit() for name in names):
        raise ValueError(f"ops.rearrange: pattern {pattern!r} has a number as an axis; name every axis.")
    return groups


@keras_op()
def rearrange(tensor: Any, pattern: str, **axes_lengths: int) -> torch.Tensor:
    """Splits, transposes and merges the axes of ``tensor`` as the einops ``pattern`` says.

    Args:
        tensor: the input tensor.
        pattern: ``'<input axes> -> <output axes>'``, e.g. ``'b h w c -> b (c h w)'``.
        **axes_lengths: the sizes of axes split out of an input axis (all but at most one
            per group; that one is inferred).

    Returns:
        The rearranged tensor (a view where torch can make one).

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> images = torch.zeros(32, 30, 40, 3)
        >>> ops.rearrange(images, "b h w c -> b c h w").shape
        torch.Size([32, 3, 30, 40])
        >>> ops.rearrange(images, "b (h h1) (w w1) c -> b h w (c h1 w1)", h1=2, w1=2).shape
        torch.Size([32, 15, 20, 12])
    """
    x = convert(tensor)
    if not isinstance(pattern, str) or pattern.count("->") != 1:
        raise ValueError(f"ops.rearrange: pattern must be a string '<input axes> -> <output axes>'; "
                         f"received {pattern!r}.")  # fmt: skip
    left, right = pattern.split("->")
    inputs, outputs = _groups(left, pattern), _groups(right, pattern)
    if len(inputs) != x.ndim:
        raise ValueError(f"ops.rearrange: pattern {pattern!r} names {len(inputs)} input axes; received a tensor "
                         f"of rank {x.ndim} (shape {tuple(x.shape)}).")  # fmt: skip
    input_names = [name for group in inputs for name in group]
    output_names = [name for group in outputs for name in group]
    if set(input_names) != set(output_names):
        raise ValueError(f"ops.rearrange: pattern {pattern!r} must use the same axis names on both sides; "
                         f"only on one side: {sorted(set(input_names) ^ set(output_names))}.")  # fmt: skip
    sizes: dict[str, int] = {}
    for group, size in zip(inputs, x.shape, strict=True):
        unknown = [name for name in group if name not in axes_lengths]
        if len(group) > 1 and len(unknown) > 1:
            raise ValueError(f"ops.rearrange: give the sizes of all but one of the axes {group} "
                             f"(as keyword arguments); missing {unknown}.")  # fmt: skip
        known = math.prod(int(axes_lengths[name]) for name in group if name in axes_lengths)
        fits = known > 0 and (size % known == 0 if unknown else size == known)
        if not fits:
            raise ValueError(f"ops.rearrange: input axis {'(' + ' '.join(group) + ')'} has size {size}, which "
                             f"does not split into {dict((n, axes_lengths[n]) for n in group if n in axes_lengths)}.")  # fmt: skip
        for name in group:
            sizes[name] = int(axes_lengths[name]) if name in axes_lengths else size // known
    # Split the grouped input axes, put the axes in output order, merge the output groups.
    x = x.reshape([sizes[name] for name in input_names])
    x = x.permute([input_names.index(name) for name in output_names])
    return x.reshape([math.prod(sizes[name] for name in group) for group in outputs])
