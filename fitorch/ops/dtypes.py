"""Dtypes and tensor conversion as Keras' torch backend does them.

Python floats become ``floatx()`` (float32), Python ints int32 (int64 when they do
not fit), bools bool; NumPy arrays keep their dtype. Unlike Keras, a converted value
goes to the device of the tensors it is combined with, so ops never move data.

Example:
    >>> convert([1.0, 2.0]).dtype, convert(3).dtype, convert(True).dtype
    (torch.float32, torch.int32, torch.bool)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.devices import scoped_device

#: Keras dtype names torch lacks, mapped as Keras' torch backend maps them.
_ALIASES = {"uint16": torch.int32, "uint32": torch.int64, "uint64": torch.int64}
_INTS = (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)


def to_torch_dtype(dtype: Any) -> torch.dtype:
    """``'float32'``, ``np.float32``, ``torch.float32``, ``float`` ... as a ``torch.dtype``.

    Raises:
        ValueError: for something that names no dtype.
    """
    if isinstance(dtype, torch.dtype):
        return dtype
    if dtype is float:
        return config.floatx_dtype()
    if dtype is int:
        return torch.int32
    if dtype is bool:
        return torch.bool
    if not isinstance(dtype, str):
        try:
            dtype = np.dtype(dtype).name
        except TypeError:
            raise ValueError(f"Expected a dtype such as 'float32'; received {dtype!r}.") from None
    dtype = dtype.removeprefix("torch.")
    if dtype in _ALIASES:
        return _ALIASES[dtype]
    try:
        result = config.standardize_dtype(dtype)
    except TypeError:
        raise ValueError(f"Expected a dtype such as 'float32'; received {dtype!r}.") from None
    return result  # type: ignore[return-value]


def is_int(dtype: torch.dtype) -> bool:
    """True for integer and bool dtypes (the ones Keras turns into floatx for float math)."""
    return dtype in _INTS or dtype == torch.bool


def device_of(*values: Any) -> torch.device | None:
    """The device of the first tensor among ``values`` (nested one level), else the scoped device."""
    for value in values:
        if isinstance(value, torch.Tensor):
            return value.device
        if isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, torch.Tensor):
                    return item.device
    return scoped_device()


def convert(x: Any, dtype: Any = None, like: Any = None) -> torch.Tensor:
    """Converts ``x`` to a tensor (Keras' rules), on the device of ``like`` when given."""
    torch_dtype = None if dtype is None else to_torch_dtype(dtype)
    if isinstance(x, torch.Tensor):
        return x if torch_dtype is None or x.dtype == torch_dtype else x.to(torch_dtype)
    device = device_of(like) if like is not None else scoped_device()
    if isinstance(x, (list, tuple)) and any(isinstance(v, torch.Tensor) for v in x):
        return torch.stack([convert(v, dtype, like) for v in x])
    if torch_dtype is None:
        if isinstance(x, bool):
            torch_dtype = torch.bool
        elif isinstance(x, int):
            torch_dtype = torch.int64 if not -(2**31) <= x < 2**31 else torch.int32
        elif isinstance(x, float):
            torch_dtype = config.floatx_dtype()
        elif isinstance(x, (np.ndarray, np.generic)):
            torch_dtype = to_torch_dtype(x.dtype)
        else:
            array = np.asarray(x)
            if array.dtype == np.float64:
                torch_dtype = config.floatx_dtype()
            elif array.dtype == np.int64:
                torch_dtype = torch.int32 if array.size == 0 or np.abs(array).max() < 2**31 else torch.int64
            else:
                torch_dtype = to_torch_dtype(array.dtype)
            x = array
    if isinstance(x, np.ndarray) and x.dtype == np.uint32:
        x = x.astype(np.int64)
    return torch.as_tensor(x, dtype=torch_dtype, device=device)


def to_float(x: torch.Tensor) -> torch.Tensor:
    """``x`` cast to ``floatx()`` when it holds ints or bools (Keras' rule for float-only math)."""
    return x.to(config.floatx_dtype()) if is_int(x.dtype) else x


def result_dtype(*values: Any) -> torch.dtype:
    """The dtype of an elementwise result on ``values`` (Python scalars are weak, as in Keras)."""
    tensors = [v for v in values if isinstance(v, torch.Tensor)]
    scalars = [v for v in values if not isinstance(v, torch.Tensor)]
    if not tensors:
        return convert(scalars[0]).dtype if len(scalars) == 1 else torch.result_type(convert(scalars[0]), scalars[1])
    dtype = tensors[0].dtype
    for tensor in tensors[1:]:
        dtype = torch.promote_types(dtype, tensor.dtype)
    for scalar in scalars:
        dtype = torch.result_type(torch.empty((), dtype=dtype), scalar)
    return dtype
