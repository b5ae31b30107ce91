"""``BaseBorder``: the shared parent of ``BaseCropping`` and ``BaseZeroPadding``.

Both take Keras' ``(before, after)`` amounts per spatial axis (``padding.normalize_pairs``)
and a ``data_format``; cropping removes those positions, zero padding adds them.
``border_docs`` writes their ``Args`` and shape sections once for every rank.
"""

from __future__ import annotations

from typing import Any

from fitorch.layers.convolutional import spatial_docs
from fitorch.layers.convolutional.padding import Pair, normalize_pairs, spatial_axes, standardize_data_format
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

_AMOUNTS = {
    1: "int (both ends) or tuple of 2 non-negative ints ``(start, end)``, the\nsteps {verb} (default {default}).",
    2: "int (every side), tuple of 2 ints ``(symmetric_height,\nsymmetric_width)``, or tuple of 2 pairs "
    "``((top, bottom), (left, right))``\n(default {default}).",
    3: "int (every side), tuple of 3 ints (symmetric per axis), or tuple of 3\n"
    "``(before, after)`` pairs (default {default}).",
}


def border_docs(rank: int, argument: str, default: str, takes_data_format: bool = True) -> dict[str, str]:
    """The ``sections`` (``Args``, shapes) of ``Cropping{rank}D`` (``argument='cropping'``) or ``ZeroPadding*D``.

    Example:
        >>> border_docs(3, "padding", "1")["sections"].splitlines()[-1]
        '    The input shape with each spatial axis lengthened by its two paddings.'
    """
    cropping = argument == "cropping"
    amounts = _AMOUNTS[rank].format(verb="removed" if cropping else "added", default=default)
    args = spatial_docs.args(
        rank, [argument, "data_format"] if takes_data_format else [argument], **{argument: amounts}
    )
    sign = "-" if cropping else "+"
    if rank == 1:
        steps = f"steps {sign} start {sign} end"
        last, first = f"(batch, {steps}, features)", f"(batch, features, {steps})"
    elif rank == 2:
        last, first = spatial_docs.layouts(2)
        sizes = f"height {sign} top {sign} bottom, width {sign} left {sign} right"
        last, first = last.replace("height, width", sizes), first.replace("height, width", sizes)
    if rank == 3:
        change = "shortened by its two crops" if cropping else "lengthened by its two paddings"
        output = f"Output shape:\n    The input shape with each spatial axis {change}."
    elif takes_data_format:
        output = f"Output shape:\n    ``{last}`` or\n    ``{first}``."
    else:
        output = f"Output shape:\n    ``{last}``."
    if takes_data_format:
        input_shape = spatial_docs.input_shape(rank).replace(
            "channels)``", "features)``" if rank == 1 else "channels)``"
        )
        input_shape = input_shape.replace("(batch, channels, steps)", "(batch, features, steps)")
    else:
        input_shape = "Input shape:\n    ``(batch, steps, features)``."
    return {"sections": f"{args}\n\n{input_shape}\n\n{output}"}


class BaseBorder(Layer):
    """Abstract: ``(before, after)`` amounts for each of the ``rank`` spatial axes.

    Args:
        amounts: an int (every side), or per axis an int (both sides) or a
            ``(before, after)`` pair; see ``padding.normalize_pairs``.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
    """

    rank: int = 0
    #: The Keras argument, and attribute, that holds the amounts: ``'cropping'`` or ``'padding'``.
    argument: str = ""
    #: Whether the layer has a ``data_format`` argument (Keras' ``Cropping1D`` has none).
    takes_data_format: bool = True

    def __init__(self, amounts: Any, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        owner = f"{type(self).__name__} {self.name!r}"
        self._pairs: tuple[Pair, ...] = normalize_pairs(amounts, self.rank, self.argument, owner)
        # Keras' attribute: one pair for the 1-D layers, a pair per axis otherwise.
        setattr(self, self.argument, self._pairs[0] if self.rank == 1 else self._pairs)
        self.data_format = standardize_data_format(data_format, owner)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    @property
    def spatial_axes(self) -> tuple[int, ...]:
        """The axes cropped or padded: ``(1, ..., rank)`` for channels_last, ``(2, ..., rank + 1)`` otherwise."""
        return spatial_axes(self.data_format, self.rank)

    def get_config(self) -> dict[str, Any]:
        config_dict = {**super().get_config(), self.argument: getattr(self, self.argument)}
        if self.takes_data_format:
            config_dict["data_format"] = self.data_format
        return config_dict

    def extra_repr(self) -> str:
        return f"name={self.name!r}, {self.argument}={getattr(self, self.argument)}"
