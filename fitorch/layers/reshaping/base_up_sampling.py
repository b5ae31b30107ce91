"""``BaseUpSampling``: the shared parent of ``UpSampling1D``, ``UpSampling2D`` and ``UpSampling3D``.

Nearest-neighbour upsampling repeats every position ``size`` times along each
spatial axis. Instead of one ``repeat_interleave`` (one full copy) per axis, each
spatial axis gets a broadcast axis next to it, ``(B, H, 1, W, 1, C)`` expanded to
``(B, H, sh, W, sw, C)``, and a single reshape writes the result once, in the
input's layout. ``UpSampling2D`` also interpolates (``'bilinear'``, ``'bicubic'``)
with ``F.interpolate`` on a channels-first view, as Keras' torch backend does.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.convolutional import spatial_docs
from fitorch.layers.convolutional.padding import (
    from_channels_first,
    normalize_tuple,
    spatial_axes,
    standardize_data_format,
    to_channels_first,
)
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]

#: Interpolations ``UpSampling2D`` accepts: Keras' torch backend supports these three.
INTERPOLATIONS = ("nearest", "bilinear", "bicubic")

_SIZES = {
    1: "positive int, the upsampling factor (default 2).",
    2: "int or tuple of 2 positive ints, the height and width factors (default ``(2, 2)``).",
    3: "int or tuple of 3 positive ints, the factors (default ``(2, 2, 2)``).",
}
_OUTPUTS = {
    1: "``(batch, steps * size, features)``.",
    2: "``(batch, height * size[0], width * size[1], channels)`` or\n"
    "    ``(batch, channels, height * size[0], width * size[1])``.",
    3: "The input shape with each spatial axis multiplied by its factor.",
}


def up_sampling_docs(rank: int) -> dict[str, str]:
    """The ``sections`` (``Args``, shapes) of ``UpSampling{rank}D``.

    Example:
        >>> up_sampling_docs(1)["sections"].splitlines()[-1]
        '    ``(batch, steps * size, features)``.'
    """
    names = ["size"] if rank == 1 else ["size", "data_format"]
    if rank == 2:
        names.append("interpolation")
    args = spatial_docs.args(
        rank, names, size=_SIZES[rank], interpolation="``'nearest'`` (default), ``'bilinear'`` or ``'bicubic'``."
    )
    input_shape = "Input shape:\n    ``(batch, steps, features)``." if rank == 1 else spatial_docs.input_shape(rank)
    return {"sections": f"{args}\n\n{input_shape}\n\nOutput shape:\n    {_OUTPUTS[rank]}"}


class BaseUpSampling(Layer):
    """Abstract N-D upsampling of the ``rank`` spatial axes by integer factors.

    Args:
        size: int or tuple of ``rank`` positive ints, the factor of each spatial axis.
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``. ``UpSampling1D`` always upsamples axis 1.
        interpolation: ``'nearest'`` (default); ``UpSampling2D`` also takes
            ``'bilinear'`` and ``'bicubic'``.
    """

    rank: int = 0
    #: Whether the layer has a ``data_format`` argument (Keras' ``UpSampling1D`` has none).
    takes_data_format: bool = True
    allowed_interpolations: tuple[str, ...] = ("nearest",)

    def __init__(
        self,
        size: int | tuple[int, ...],
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = f"{type(self).__name__} {self.name!r}"
        self._factors = normalize_tuple(size, self.rank, "size", owner)
        # Keras' attribute: an int for UpSampling1D, a tuple otherwise.
        self.size = self._factors[0] if self.rank == 1 else self._factors
        self.data_format = standardize_data_format(data_format, owner)
        method = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if method not in self.allowed_interpolations:
            raise ValueError(
                f"{owner}: interpolation must be one of {self.allowed_interpolations}; received "
                f"interpolation={interpolation!r}."
            )
        self.interpolation = method
        self.input_spec = InputSpec(ndim=self.rank + 2)

    @property
    def spatial_axes(self) -> tuple[int, ...]:
        """The upsampled axes: ``(1, ..., rank)`` for channels_last, ``(2, ..., rank + 1)`` otherwise."""
        return spatial_axes(self.data_format, self.rank)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.interpolation == "nearest":
            return _repeat(inputs, dict(zip(self.spatial_axes, self._factors, strict=True)))
        # (B, H, W, C) -> (B, C, H, W), a channels_last-memory view that F.interpolate keeps
        x = to_channels_first(inputs, self.data_format, self.rank)
        size = [n * f for n, f in zip(x.shape[2:], self._factors, strict=True)]
        outputs = F.interpolate(x, size=size, mode=self.interpolation, align_corners=False)
        return from_channels_first(outputs, self.data_format, self.rank)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        output_shape = list(input_shape)
        for axis, factor in zip(self.spatial_axes, self._factors, strict=True):
            if input_shape[axis] is not None:
                output_shape[axis] = input_shape[axis] * factor
        return tuple(output_shape)

    def get_config(self) -> dict[str, Any]:
        config_dict = {**super().get_config(), "size": self.size}
        if self.takes_data_format:
            config_dict["data_format"] = self.data_format
        if len(self.allowed_interpolations) > 1:
            config_dict["interpolation"] = self.interpolation
        return config_dict

    def extra_repr(self) -> str:
        return f"name={self.name!r}, size={self.size}, interpolation={self.interpolation!r}"


def _repeat(inputs: torch.Tensor, factors: dict[int, int]) -> torch.Tensor:
    """Repeats each position of ``inputs`` ``factors[axis]`` times along each listed axis, in one copy."""
    viewed, expanded, output = [], [], []
    for axis, size in enumerate(inputs.shape):
        factor = factors.get(axis, 1)
        viewed.append(size)
        expanded.append(size)
        output.append(size * factor)
        if axis in factors:  # a broadcast axis after each upsampled one: (.., H, 1, ..) -> (.., H, f, ..)
            viewed.append(1)
            expanded.append(factor)
    return inputs.reshape(viewed).expand(expanded).reshape(output)
