"""``keras.backend``: the backend that runs (always torch), session reset, uids and dtype helpers.

Keras programs branch on ``keras.backend.backend()``; under fitorch the answer is
``"torch"``, so their torch code paths run. The configuration functions are the same
objects as ``fitorch.config``'s, and ``clear_session``/``is_keras_tensor``/
``standardize_dtype`` the same as ``fitorch.utils``'.

Example:
    >>> from fitorch import backend
    >>> backend.backend(), backend.floatx(), backend.is_float_dtype("bfloat16"), backend.is_int_dtype("uint8")
    ('torch', 'float32', True, True)
"""

from __future__ import annotations

from typing import Any

from fitorch.config import epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format
from fitorch.utils import clear_session, is_keras_tensor, standardize_dtype
from fitorch.utils.naming import next_uid


def backend() -> str:
    """The name of the backend running Keras code: always ``"torch"``."""
    return "torch"


def get_uid(prefix: str = "") -> int:
    """An integer counter per ``prefix``: 1 on the first call, then 2, 3 ... (reset by ``clear_session``).

    It is the counter behind default layer names, as in Keras: after ``get_uid("dense")``
    the next ``Dense()`` is named ``dense_1``.

    Example:
        >>> from fitorch.backend import get_uid
        >>> first = get_uid("my_prefix")
        >>> get_uid("my_prefix") == first + 1
        True
    """
    return next_uid(prefix)


def is_float_dtype(dtype: Any) -> bool:
    """Whether ``dtype`` (any form ``standardize_dtype`` reads) is a floating dtype."""
    name = standardize_dtype(dtype)
    return name.startswith(("float", "bfloat"))


def is_int_dtype(dtype: Any) -> bool:
    """Whether ``dtype`` (any form ``standardize_dtype`` reads) is a signed or unsigned integer dtype."""
    name = standardize_dtype(dtype)
    return name.startswith(("int", "uint"))


__all__ = [
    "backend", "clear_session", "epsilon", "floatx", "get_uid", "image_data_format", "is_float_dtype",
    "is_int_dtype", "is_keras_tensor", "set_epsilon", "set_floatx", "set_image_data_format", "standardize_dtype",
]  # fmt: skip
