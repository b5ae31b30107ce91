"""Global defaults shared by every layer: image layout, float dtype and epsilon.

These mirror ``keras.config``: ``image_data_format()`` decides whether image layers
read ``(batch, height, width, channels)`` (the default, as in Keras) or
``(batch, channels, height, width)``; ``floatx()`` is the dtype new weights get;
``epsilon()`` is the fuzz factor losses and metrics use to avoid ``log(0)``.

Example:
    >>> import fitorch
    >>> fitorch.config.image_data_format()
    'channels_last'
    >>> fitorch.config.epsilon()
    1e-07
"""

from __future__ import annotations

import torch

_IMAGE_DATA_FORMATS = ("channels_last", "channels_first")
_FLOATX = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32, "float64": torch.float64}

_image_data_format = "channels_last"
_floatx = "float32"
_epsilon = 1e-7


def image_data_format() -> str:
    """Returns the default image layout, ``'channels_last'`` or ``'channels_first'``."""
    return _image_data_format


def set_image_data_format(data_format: str) -> None:
    """Sets the default image layout used by layers created afterwards."""
    global _image_data_format
    _image_data_format = standardize_data_format(data_format)


def standardize_data_format(data_format: str | None) -> str:
    """Returns ``data_format``, or the global default when it is ``None``.

    Raises:
        ValueError: if ``data_format`` is not one of the two known layouts.
    """
    if data_format is None:
        return _image_data_format
    value = str(data_format).lower()
    if value not in _IMAGE_DATA_FORMATS:
        raise ValueError(
            f"data_format must be one of {_IMAGE_DATA_FORMATS}; received data_format={data_format!r}."
        )
    return value


def floatx() -> str:
    """Returns the default float dtype name for new weights, e.g. ``'float32'``."""
    return _floatx


def set_floatx(dtype: str) -> None:
    """Sets the default float dtype name (``'float16'``, ``'bfloat16'``, ``'float32'``, ``'float64'``)."""
    global _floatx
    if dtype not in _FLOATX:
        raise ValueError(f"floatx must be one of {sorted(_FLOATX)}; received {dtype!r}.")
    _floatx = dtype


def floatx_dtype() -> torch.dtype:
    """Returns ``floatx()`` as a ``torch.dtype``."""
    return _FLOATX[_floatx]


def epsilon() -> float:
    """Returns the fuzz factor used in numeric expressions (Keras default ``1e-7``)."""
    return _epsilon


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor returned by ``epsilon()``."""
    global _epsilon
    _epsilon = float(value)


def standardize_dtype(dtype: str | torch.dtype | None) -> torch.dtype | None:
    """Accepts ``'float32'``, ``'int64'``, ``torch.float32`` ... and returns a ``torch.dtype``.

    Raises:
        TypeError: for anything that does not name a torch dtype.
    """
    if dtype is None or isinstance(dtype, torch.dtype):
        return dtype
    candidate = getattr(torch, str(dtype).removeprefix("torch."), None) if isinstance(dtype, str) else None
    if isinstance(candidate, torch.dtype):
        return candidate
    raise TypeError(f"dtype: expected a torch.dtype or a name such as 'float32'; received {dtype!r}.")


def backend() -> str:
    """The backend that runs Keras code under fitorch: always ``"torch"`` (Keras programs branch on it)."""
    return "torch"


def set_backend(backend: str) -> None:
    """Accepts ``"torch"`` (fitorch's only backend), as a Keras program that selects torch calls it.

    Raises:
        ValueError: for any other backend.
    """
    if backend != "torch":
        raise ValueError(f"set_backend: fitorch runs on torch only; received backend={backend!r}.")


# Keras 3 also names the logging switches under keras.config (they live in fitorch.utils.io_utils, which
# imports the utils package: imported on call, so that this module stays importable first).
def enable_interactive_logging() -> None:
    """Progress bars and summaries print to stdout (the default); see ``fitorch.utils.io_utils``."""
    from fitorch.utils import io_utils

    io_utils.enable_interactive_logging()


def disable_interactive_logging() -> None:
    """Progress bars and summaries go to Python's ``logging`` instead of stdout."""
    from fitorch.utils import io_utils

    io_utils.disable_interactive_logging()


def is_interactive_logging_enabled() -> bool:
    """Whether progress bars and summaries print to stdout."""
    from fitorch.utils import io_utils

    return io_utils.is_interactive_logging_enabled()
