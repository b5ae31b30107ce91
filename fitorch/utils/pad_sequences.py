"""``pad_sequences``: lists of sequences to one padded array, with Keras' exact semantics.

Example:
    >>> pad_sequences([[1, 2, 3], [4]], maxlen=2)
    array([[2, 3],
           [0, 4]], dtype=int32)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def pad_sequences(
    sequences: Sequence[Any],
    maxlen: int | None = None,
    dtype: Any = "int32",
    padding: str = "pre",
    truncating: str = "pre",
    value: Any = 0.0,
) -> np.ndarray:
    """Pads (or truncates) every sequence to the same length (Keras' ``keras.utils.pad_sequences``).

    Args:
        sequences: a list of sequences (lists or arrays; each item may itself be an array).
        maxlen: the output length; default the longest sequence's.
        dtype: the output dtype; ``object`` or a string dtype allow string ``value``s.
        padding: ``'pre'`` (pad at the start) or ``'post'``.
        truncating: ``'pre'`` (drop values from the start) or ``'post'``.
        value: the padding value.

    Returns:
        An array of shape ``(len(sequences), maxlen, *item_shape)``.

    Raises:
        ValueError: for an unknown ``padding``/``truncating``, a non-iterable sequence,
            a string ``value`` with a numeric ``dtype``, or items of different shapes.

    Example:
        >>> pad_sequences([[1, 2], [3]], padding="post", value=-1)
        array([[ 1,  2],
               [ 3, -1]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"pad_sequences: sequences must be a list of sequences; received {type(sequences).__name__}.")
    for name, mode in (("padding", padding), ("truncating", truncating)):
        if mode not in ("pre", "post"):
            raise ValueError(f"pad_sequences: {name} must be 'pre' or 'post'; received {name}={mode!r}.")
    lengths = []
    sample_shape: tuple[int, ...] = ()
    found_shape = False
    for item in sequences:
        try:
            lengths.append(len(item))
        except TypeError:
            raise ValueError(
                f"pad_sequences: sequences must be a list of iterables; found the non-iterable {item!r}."
            ) from None
        if not found_shape and len(item):
            sample_shape = np.asarray(item).shape[1:]
            found_shape = True
    if maxlen is None:
        maxlen = max(lengths, default=0)
    is_text_dtype = np.issubdtype(np.dtype(dtype), np.str_) or np.dtype(dtype) == np.dtype(object)
    if isinstance(value, str) and not is_text_dtype:
        raise ValueError(
            f"pad_sequences: dtype {dtype!r} cannot hold the padding value {value!r}; pass dtype=object "
            "(or a string dtype) to pad variable-length strings."
        )
    out = np.full((len(sequences), maxlen, *sample_shape), value, dtype=dtype)
    for index, item in enumerate(sequences):
        if not len(item) or maxlen == 0:
            continue
        kept = np.asarray(item[-maxlen:] if truncating == "pre" else item[:maxlen], dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"pad_sequences: sequence {index} has items of shape {kept.shape[1:]}, unlike the first "
                f"non-empty sequence's {sample_shape}."
            )
        if padding == "post":
            out[index, : len(kept)] = kept
        else:
            out[index, -len(kept) :] = kept
    return out
