"""Docstring sections shared by the spatial layers: convolution, pooling, reshaping and spatial dropout.

A family writes its ``Args``, ``Input shape`` and ``Output shape`` sections once, in its
base module, and fills in the rank-specific words (axis names, shapes) from here; each
public layer keeps its own summary, use and ``Example`` and takes the sections through
``fitorch.utils.docstrings.fill_doc``, so ``help()`` and the doctests see one complete
docstring.

Example:
    >>> layouts(2)
    ('(batch, height, width, channels)', '(batch, channels, height, width)')
    >>> layouts(1, prefix="new_", channels="filters")
    ('(batch, new_steps, filters)', '(batch, filters, new_steps)')
    >>> print(args(3, ["kernel_size"]))
    Args:
        kernel_size: int or tuple of 3 ints, the depth, height and width of the window.
"""

from __future__ import annotations

#: The spatial axes of each rank, as the docstrings name them.
AXES = {1: ("steps",), 2: ("height", "width"), 3: ("depth", "height", "width")}
#: The kernel axes of each rank in weight shapes.
KERNEL_AXES = {1: ("kernel_size",), 2: ("kernel_h", "kernel_w"), 3: ("kernel_d", "kernel_h", "kernel_w")}

#: ``Args:`` entries shared by the layers; ``{ints}`` and ``{axes}`` are filled in for the rank by ``args``.
ARGS = {
    "filters": "positive int, the number of output channels.",
    "kernel_size": "int or tuple of {ints}, the {axes} of the window.",
    "strides": "int or tuple of {ints} (default 1).",
    "padding": "``'valid'`` (default) or ``'same'``.",
    "data_format": "``'channels_last'`` or ``'channels_first'``; default\n``fitorch.config.image_data_format()``.",
    "dilation_rate": "int or tuple of {ints} (default 1).",
    "groups": "positive int dividing ``filters`` and the input channels (default 1).",
    "depth_multiplier": "positive int, the kernels per input channel (default 1).",
    "activation": "activation name or callable (default ``None``, linear).",
    "use_bias": "whether to add a bias (default ``True``).",
    "kernel_initializer": "default ``'glorot_uniform'``.",
    "depthwise_initializer": "default ``'glorot_uniform'``.",
    "pointwise_initializer": "default ``'glorot_uniform'``.",
    "bias_initializer": "default ``'zeros'``.",
    "kernel_regularizer": "optional regularizer name or object (default ``None``).",
    "bias_regularizer": "optional regularizer name or object (default ``None``).",
    "kernel_constraint": "optional constraint name or object (default ``None``).",
    "bias_constraint": "optional constraint name or object (default ``None``).",
}


def args(rank: int, names: list[str], **special: str) -> str:
    """An ``Args:`` section of ``names`` in order: each entry from ``special`` or else ``ARGS``, filled for ``rank``.

    Example:
        >>> print(args(2, ["strides", "use_bias"]))
        Args:
            strides: int or tuple of 2 ints (default 1).
            use_bias: whether to add a bias (default ``True``).
    """
    ints = "1 int" if rank == 1 else f"{rank} ints"
    axes = "length" if rank == 1 else spoken(AXES[rank])
    lines = ["Args:"]
    for name in names:
        text = special.get(name, ARGS.get(name, "")).format(ints=ints, axes=axes)
        first, *rest = text.split("\n")
        lines += [f"    {name}: {first}", *(f"        {line}" for line in rest)]
    return "\n".join(lines)


def spoken(names: tuple[str, ...]) -> str:
    """``('depth', 'height', 'width')`` -> ``'depth, height and width'``.

    Example:
        >>> spoken(AXES[3])
        'depth, height and width'
    """
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def layouts(rank: int, prefix: str = "", channels: str = "channels") -> tuple[str, str]:
    """The ``channels_last`` and ``channels_first`` shapes, e.g. ``(batch, new_height, new_width, filters)``."""
    spatial = ", ".join(prefix + name for name in AXES[rank])
    return f"(batch, {spatial}, {channels})", f"(batch, {channels}, {spatial})"


def input_shape(rank: int) -> str:
    """The ``Input shape:`` section of a layer over ``rank`` spatial axes.

    Example:
        >>> print(input_shape(1))
        Input shape:
            ``(batch, steps, channels)`` for ``channels_last``, or
            ``(batch, channels, steps)`` for ``channels_first``.
    """
    last, first = layouts(rank)
    return f"Input shape:\n    ``{last}`` for ``channels_last``, or\n    ``{first}`` for ``channels_first``."


def output_shape(rank: int, prefix: str, channels: str = "channels", where: str = "") -> str:
    """The ``Output shape:`` section: both layouts with ``prefix``-ed spatial axes, then ``where``.

    Example:
        >>> output_shape(2, "pooled_").splitlines()[1]
        '    ``(batch, pooled_height, pooled_width, channels)`` for ``channels_last``, or'
    """
    last, first = layouts(rank, prefix, channels)
    return f"Output shape:\n    ``{last}`` for ``channels_last``, or\n    ``{first}`` for ``channels_first``{where}."


def conv_sections(
    rank: int, names: list[str], channels: str, where: str, weights: str, **special: str
) -> dict[str, str]:
    """A convolution's ``sections``: the ``Args`` of ``names`` (``special`` as in ``args``), the input
    shape, the output shape (``new_`` sizes with ``channels`` channels, explained by ``where``) and
    ``Weights:``, whose body ``weights`` may name the kernel axes ``{kernel}`` and a ``{ones}`` kernel.

    Example:
        >>> conv_sections(2, ["filters"], "filters", ".", "``weight`` ``({kernel})``.")["sections"].splitlines()[-1]
        '    ``weight`` ``(kernel_h, kernel_w)``.'
    """
    body = weights.format(kernel=", ".join(KERNEL_AXES[rank]), ones=", ".join("1" * rank))
    output = output_shape(rank, "new_", channels, where)
    return {"sections": f"{args(rank, names, **special)}\n\n{input_shape(rank)}\n\n{output}\n\nWeights:\n    {body}"}
