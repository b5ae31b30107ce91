"""``IntegerLookup``: maps integer values to contiguous indices through a vocabulary (and back)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from fitorch.layers.preprocessing.base_lookup import BaseLookup
from fitorch.layers.preprocessing.string_hashing import hash_buckets


class IntegerLookup(BaseLookup):
    """Maps integer values (ids, codes) to contiguous indices through a vocabulary, given or adapted.

    Index layout (Keras'): ``[mask_token]`` (only with a mask token and
    ``output_mode='int'``), then ``num_oov_indices`` out-of-vocabulary indices, then
    the vocabulary. With several OOV indices, an unknown value ``v`` goes to
    ``v mod num_oov_indices`` (``oov_method='floormod'``, default) or to the FarmHash64
    bucket of its decimal text (``oov_method='farmhash'``, SipHash-2-4 with a
    ``salt``), as in Keras. ``adapt`` orders the vocabulary by frequency, ties by
    value, both descending.

    Accepts integer tensors, NumPy arrays or lists and returns torch tensors on the
    input's device (int64 indices, or float encodings; with ``invert=True``, int64
    values). Lookups run in NumPy on the CPU, so use the layer in data
    preprocessing rather than inside a compiled model.

    Args:
        max_tokens: optional int > 1, the largest vocabulary size (special tokens
            included) that ``adapt`` may learn.
        num_oov_indices: int, how many indices unknown values share (default 1).
        mask_token: optional int mapped to index 0 (default ``None``).
        oov_token: the value ``invert`` gives for OOV indices (default ``-1``).
        vocabulary: optional list (or array) of ints.
        vocabulary_dtype: only ``'int64'``.
        idf_weights: the IDF weights for ``output_mode='tf_idf'`` with a given vocabulary.
        invert: if ``True``, map indices back to values.
        output_mode: ``'int'`` (default), ``'one_hot'``, ``'multi_hot'``, ``'count'`` or
            ``'tf_idf'``.
        sparse: only ``False``.
        pad_to_max_tokens: if ``True``, encodings have ``max_tokens`` entries.
        oov_method: ``'floormod'`` (default) or ``'farmhash'``.
        salt: optional int or pair of ints (with ``oov_method='farmhash'``).

    Call arguments:
        inputs: integer values, or indices when ``invert=True``.

    Output shape:
        The input's for ``'int'``; otherwise as ``CategoryEncoding``'s.

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing import IntegerLookup
        >>> layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> layer(torch.tensor([[12, 1138, 42], [42, 1000, 36]]))
        tensor([[1, 3, 4],
                [4, 0, 2]])
        >>> layer.get_vocabulary()
        [-1, 12, 36, 1138, 42]
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: int | None = None,
        oov_token: int = -1,
        vocabulary: Sequence[int] | np.ndarray | None = None,
        vocabulary_dtype: str = "int64",
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        salt: int | Sequence[int] | None = None,
        **kwargs: Any,
    ) -> None:
        name = kwargs.get("name") or "integer_lookup"
        if vocabulary_dtype != "int64":
            raise ValueError(
                f"IntegerLookup {name!r}: only vocabulary_dtype='int64' is supported; received {vocabulary_dtype!r}."
            )
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(
                f"IntegerLookup {name!r}: oov_method must be 'floormod' or 'farmhash'; received {oov_method!r}."
            )
        if salt is not None and oov_method != "farmhash":
            raise ValueError(f"IntegerLookup {name!r}: salt can only be used with oov_method='farmhash'.")
        self.vocabulary_dtype = vocabulary_dtype
        super().__init__(
            max_tokens,
            num_oov_indices,
            None if mask_token is None else int(mask_token),
            None if oov_token is None else int(oov_token),
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            salt=salt,
            oov_method=oov_method,
            **kwargs,
        )

    def _to_array(self, data: Any) -> np.ndarray:
        array = data.detach().cpu().numpy() if isinstance(data, torch.Tensor) else np.asarray(data)
        if array.dtype.kind not in "iu":
            raise TypeError(f"{self._owner}: expected integers; received an array of dtype {array.dtype}.")
        return array.astype(np.int64)

    def _oov_buckets(self, tokens: np.ndarray) -> np.ndarray:
        if self.oov_method == "floormod":
            return np.mod(tokens, self.num_oov_indices)
        return hash_buckets(tokens, self.num_oov_indices, self.salt)

    def _invert(self, indices: np.ndarray, device: torch.device) -> torch.Tensor:
        values = np.array(self._inverted_tokens(indices), dtype=np.int64).reshape(indices.shape)
        return torch.from_numpy(values).to(device)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "vocabulary_dtype": self.vocabulary_dtype, "oov_method": self.oov_method}
