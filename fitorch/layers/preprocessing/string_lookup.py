"""``StringLookup``: maps strings to integer indices through a vocabulary (and back, with ``invert``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from fitorch.layers.preprocessing.base_lookup import BaseLookup


class StringLookup(BaseLookup):
    """Maps strings to integer indices through a vocabulary, given or learned with ``adapt``.

    Index layout (Keras'): ``[mask_token]`` (only with a mask token and
    ``output_mode='int'``), then ``num_oov_indices`` out-of-vocabulary indices, then
    the vocabulary. Unknown strings go to the OOV index, or, with several, to
    ``farmhash64(s) % num_oov_indices`` (SipHash-2-4 when ``salt`` is given), the same
    buckets as Keras. ``adapt`` orders the vocabulary by frequency, ties by the
    string, both descending.

    Torch has no string tensors: the layer accepts strings as a NumPy array of
    ``str`` (or bytes, decoded with ``encoding``) or a nested list, and returns torch
    tensors (int64 indices, or float encodings). With ``invert=True`` it accepts
    integer indices (tensor, array or list) and returns a NumPy array of ``str``.
    Lookups run in Python on the CPU, so use the layer in data preprocessing rather
    than inside a model.

    Args:
        max_tokens: optional int > 1, the largest vocabulary size (special tokens
            included) that ``adapt`` may learn.
        num_oov_indices: int, how many indices unknown strings share (default 1).
        mask_token: optional string mapped to index 0 (default ``None``).
        oov_token: the string ``invert`` gives for OOV indices (default ``'[UNK]'``).
        vocabulary: optional list (or array) of strings.
        idf_weights: the IDF weights for ``output_mode='tf_idf'`` with a given vocabulary.
        invert: if ``True``, map indices back to strings.
        output_mode: ``'int'`` (default), ``'one_hot'``, ``'multi_hot'``, ``'count'`` or
            ``'tf_idf'`` (counts times the IDF weights).
        pad_to_max_tokens: if ``True``, encodings have ``max_tokens`` entries.
        sparse: only ``False``.
        encoding: the text encoding of byte strings (default ``'utf-8'``).
        salt: optional int or pair of ints, the SipHash key of the OOV buckets.

    Call arguments:
        inputs: strings (a NumPy array or a nested list), or indices when ``invert=True``.

    Output shape:
        The input's for ``'int'``; otherwise as ``CategoryEncoding``'s, with
        ``vocabulary_size()`` (or ``max_tokens``) entries.

    Example:
        >>> from fitorch.layers.preprocessing import StringLookup
        >>> layer = StringLookup(vocabulary=["a", "b", "c", "d"])
        >>> layer([["a", "c", "d"], ["d", "z", "b"]])
        tensor([[1, 3, 4],
                [4, 0, 2]])
        >>> StringLookup(vocabulary=["a", "b", "c", "d"], invert=True)([[1, 3, 4], [4, 0, 2]])
        array([['a', 'c', 'd'],
               ['d', '[UNK]', 'b']], dtype='<U5')
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: str | None = None,
        oov_token: str = "[UNK]",
        vocabulary: Sequence[str] | np.ndarray | None = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        pad_to_max_tokens: bool = False,
        sparse: bool = False,
        encoding: str = "utf-8",
        salt: int | Sequence[int] | None = None,
        **kwargs: Any,
    ) -> None:
        self.encoding = encoding
        super().__init__(
            max_tokens,
            num_oov_indices,
            mask_token,
            oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            salt=salt,
            **kwargs,
        )

    def _to_array(self, data: Any) -> np.ndarray:
        if isinstance(data, torch.Tensor):
            raise TypeError(
                f"{self._owner}: expected strings (a NumPy array of str or a list); received a torch tensor, and "
                "torch has no string tensors."
            )
        array = np.asarray(data)
        if array.dtype.kind == "S":
            return np.char.decode(array, self.encoding)
        if array.dtype.kind == "O":
            flat = [v.decode(self.encoding) if isinstance(v, bytes) else v for v in array.reshape(-1).tolist()]
            if not all(isinstance(v, str) for v in flat):
                raise TypeError(f"{self._owner}: expected strings; received values of other types in {data!r}.")
            return np.array(flat, dtype=str).reshape(array.shape)
        if array.dtype.kind != "U":
            raise TypeError(f"{self._owner}: expected strings; received an array of dtype {array.dtype}.")
        return array

    def _invert(self, indices: np.ndarray, device: torch.device) -> np.ndarray:
        return np.array(self._inverted_tokens(indices), dtype=str).reshape(indices.shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "encoding": self.encoding}
