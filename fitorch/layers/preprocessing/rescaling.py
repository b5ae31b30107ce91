"""``Rescaling``: multiplies the inputs by ``scale`` and adds ``offset``, e.g. pixels to ``[0, 1]``."""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.layers.layer import Layer

Number = float | list | np.ndarray | torch.Tensor


def _as_plain(value: Any, owner: Layer, name: str) -> float | list:
    """A float, or a nested list for per-channel values; rejects anything else."""
    if isinstance(value, Real) and not isinstance(value, bool):
        return float(value)
    array = None
    if isinstance(value, (list, tuple, np.ndarray, torch.Tensor)):
        try:
            source = value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else value
            array = np.asarray(source, dtype=np.float64)
        except (TypeError, ValueError):
            array = None
    if array is None:
        raise ValueError(
            f"{type(owner).__name__} {owner.name!r}: {name} must be a float or an array of floats; "
            f"received {name}={value!r}."
        )
    return float(array) if array.ndim == 0 else array.tolist()


class Rescaling(Layer):
    """Rescales the inputs: ``inputs * scale + offset``, in training and inference alike.

    Use it as the first layer of an image model: ``scale=1/255`` maps ``[0, 255]``
    to ``[0, 1]``, and ``scale=1/127.5, offset=-1`` maps it to ``[-1, 1]``. Integer
    inputs (e.g. ``uint8`` images) are accepted and give float outputs.

    ``scale`` and ``offset`` may be per-channel arrays, broadcast against the input
    (for channels_last images, shape ``(channels,)``). When the global
    ``image_data_format()`` is ``'channels_first'`` an array ``scale`` of rank < 3
    is padded with size-1 axes on the right (``(C,)`` becomes ``(C, 1, 1)``), as in
    Keras; fitorch pads an array ``offset`` the same way (Keras leaves it as is).

    Args:
        scale: float or array, the factor.
        offset: float or array, added after scaling (default ``0.0``).

    Call arguments:
        inputs: a tensor (integer or floating).

    Input shape:
        Any.

    Output shape:
        Same as the input. Floating inputs keep their dtype (unless the layer is
        given a ``dtype``); integer inputs give ``fitorch.config.floatx()``.

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import Rescaling
        >>> Rescaling(1 / 127.5, offset=-1.0)(torch.tensor([[0, 255]], dtype=torch.uint8))
        tensor([[-1.,  1.]])
        >>> Rescaling([1.0, 10.0])(torch.ones(1, 2))
        tensor([[ 1., 10.]])
    """

    supports_masking = True

    def __init__(self, scale: Number, offset: Number = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scale = _as_plain(scale, self, "scale")
        self.offset = _as_plain(offset, self, "offset")
        self._constants: dict[tuple[torch.device, torch.dtype, str], tuple[Any, Any]] = {}

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        """Floating inputs keep their dtype (unless the layer has one); integer inputs give ``floatx()``."""
        if self._dtype is not None:
            return self._dtype
        return input_dtype if input_dtype.is_floating_point else config.floatx_dtype()

    def _scale_and_offset(self, device: torch.device, dtype: torch.dtype) -> tuple[Any, Any]:
        """Python floats stay floats; arrays become tensors once per device, dtype and data format."""
        data_format = config.image_data_format()
        key = (device, dtype, data_format)
        if key not in self._constants:

            def convert(value: float | list) -> Any:
                if isinstance(value, float):
                    return value
                tensor = torch.tensor(value, dtype=dtype, device=device)
                if data_format == "channels_first" and tensor.ndim < 3:
                    tensor = tensor.reshape(*tensor.shape, *(1,) * (3 - tensor.ndim))
                return tensor

            self._constants[key] = (convert(self.scale), convert(self.offset))
        return self._constants[key]

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        dtype = self.compute_output_dtype(inputs.dtype)
        scale, offset = self._scale_and_offset(inputs.device, dtype)
        return inputs.to(dtype) * scale + offset

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
