"""``pack_x_y_sample_weight`` / ``unpack_x_y_sample_weight``: the tuples ``fit`` reads batches as.

A batch is ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)`` (lists count as tuples),
exactly as in Keras; these helpers build and take apart that structure, e.g. in a custom
``train_step``.

Example:
    >>> import numpy as np
    >>> x, y = np.ones((4, 2)), np.zeros((4, 1))
    >>> data = pack_x_y_sample_weight(x, y)
    >>> len(data)
    2
    >>> _, _, sample_weight = unpack_x_y_sample_weight(data)
    >>> sample_weight is None
    True
"""

from __future__ import annotations

from typing import Any


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """Packs ``x``, ``y`` and ``sample_weight`` the way ``fit`` expects a batch (Keras' rules).

    With ``y`` ``None``, ``x`` comes back as is, or as ``(x,)`` when it is a tuple or list (so
    that it is not mistaken for ``(x, y)``); otherwise ``(x, y)`` or ``(x, y, sample_weight)``.

    Args:
        x: the model inputs.
        y: the targets, or ``None``.
        sample_weight: per-sample weights, or ``None``.

    Example:
        >>> pack_x_y_sample_weight([1, 2])
        ([1, 2],)
        >>> pack_x_y_sample_weight(1, 2, 3)
        (1, 2, 3)
    """
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data: Any) -> tuple[Any, Any, Any]:
    """Splits a batch into ``(x, y, sample_weight)``, with ``None`` for what it lacks (Keras' rules).

    Args:
        data: ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``; a list counts as a tuple.

    Raises:
        ValueError: for a tuple or list of more than 3 elements.

    Example:
        >>> unpack_x_y_sample_weight((1, 2))
        (1, 2, None)
        >>> unpack_x_y_sample_weight(7)
        (7, None, None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if len(data) == 1:
        return (data[0], None, None)
    if len(data) == 2:
        return (data[0], data[1], None)
    if len(data) == 3:
        return (data[0], data[1], data[2])
    raise ValueError(
        "unpack_x_y_sample_weight: data is expected to be x, (x,), (x, y) or (x, y, sample_weight); received a "
        f"{type(data).__name__} of {len(data)} elements."
    )
